import ArgumentParser

@main
struct Relais: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Relais, la box hors ligne de l'établissement.")
}
