import ArgumentParser
import RelaisCore
import RelaisStore

/// `relais config get|set|list`: the box's settings (every key is in README and `Setting.all`).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Read or change a setting of the box.",
        discussion: "Settings:\n" + Setting.all.map { "  \($0.key) — \($0.summary) (default \($0.defaultValue))" }.joined(separator: "\n"))

    @OptionGroup var options: DataOptions

    @Argument(help: "get, set or list")
    var action: Action

    @Argument(help: "The setting's key, e.g. import.maxRatio.")
    var key: String?

    @Argument(help: "The new value (with set).")
    var value: String?

    enum Action: String, ExpressibleByArgument { case get, set, list }

    func validate() throws {
        switch action {
        case .get where key == nil: throw ValidationError("config get needs a KEY")
        case .set where key == nil || value == nil: throw ValidationError("config set needs a KEY and a VALUE")
        default: break
        }
    }

    func run() throws {
        let box = try options.openBox()
        switch action {
        case .get:
            print(try box.setting(key!))
        case .set:
            try box.setSetting(key!, to: value!)
        case .list:
            let values = try box.settings()
            // A listing ends up in screenshots and support mails: secrets show as set or not,
            // `config get KEY` still prints them.
            for setting in Setting.all {
                let value = values[setting.key] ?? setting.defaultValue
                let shown = setting.key.hasSuffix(".password") && !value.isEmpty ? "******** (config get \(setting.key))" : value
                print("\(setting.key)=\(shown)")
            }
        }
    }
}
