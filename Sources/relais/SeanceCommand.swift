import ArgumentParser
import Foundation
import RelaisCore
import RelaisSeance
import RelaisStore

/// `relais seance`: séances from the box's console — prepare one (and hand it over), list them.
/// The same store calls as the teacher's pages (for `scripts/demo`, and for an admin at the box).
struct SeanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seance", abstract: "Séances prêtes: prepare and hand over a séance, list them.",
        subcommands: [Prepare.self, List.self])

    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prepare a séance for a class with activities; --confier also makes its hand-over code (printed once).")

        @OptionGroup var options: DataOptions
        @Option(help: "The teacher's login (relais people list shows them).") var teacher: String
        @Option(name: .customLong("class"), help: "The class's name.") var className: String
        @Option(help: "The séance's title.") var title: String
        @Option(name: .customLong("activity"), help: "A bundle id (repeat, in order); BUNDLE#ITEM names one SCO or AU.") var activities: [String] = []
        @Option(help: "Instructions for the substitute.") var instructions = ""
        @Option(name: .customLong("plan-b"), help: "Plan B without screens.") var planB = ""
        @Flag(help: "Hand it over now: print the hand-over code (valid 24 hours).") var confier = false

        func run() throws {
            let box = try options.openBox()
            guard let person = try box.person(login: teacher) else {
                throw PeopleError(.notFound, "aucun personnel n'a l'identifiant \(teacher) ; relais people list donne les identifiants", "no staff member has the login \(teacher); relais people list shows the logins")
            }
            guard let schoolClass = try box.classes().first(where: { $0.name.caseInsensitiveCompare(className) == .orderedSame }) else {
                throw PeopleError(.notFound, "aucune classe ne s'appelle \(className) ; relais people list donne les classes", "no class is named \(className); relais people list shows the classes")
            }
            let now = try box.trustedNow()
            var chosen: [(title: String, bundleId: String, item: String?)] = []
            for activity in activities {
                let parts = activity.split(separator: "#", maxSplits: 1).map(String.init)
                guard let entry = try box.catalogEntry(id: parts[0], at: now), SeanceService.offersToPupils(entry) else {
                    throw PeopleError(.invalid, "\(parts[0]) n'est pas une ressource ouverte aux élèves ici ; relais status liste les ressources et leurs licences", "\(parts[0]) is not a bundle pupils may open here; relais status lists the bundles and their licences")
                }
                let item = parts.count > 1 ? parts[1] : nil
                guard let choice = SeanceService(box: box).choices(of: entry).first(where: { $0.itemId == item }) else {
                    throw PeopleError(.invalid, "\(parts[0]) n'a pas de SCO ou d'AU « \(item ?? "") » ; relais bundle inspect --json donne sa structure", "\(parts[0]) has no SCO or AU “\(item ?? "")”; relais bundle inspect --json lists its structure")
                }
                chosen.append((choice.title, entry.manifest.id, item))
            }
            // Nothing half-written: a hand-over needs an activity, so say it before creating anything.
            if confier && chosen.isEmpty {
                throw PeopleError(.invalid, "--confier demande au moins une --activity", "--confier needs at least one --activity")
            }
            let seance = try box.createSeance(
                SeanceDraft(title: title, classId: schoolClass.id, instructions: instructions, planB: planB), teacherId: person.id, createdBy: person.id)
            for activity in chosen {
                try box.addSeanceActivity(seanceId: seance.id, bundleId: activity.bundleId, itemId: activity.item, title: activity.title)
            }
            print("séance \(seance.id)\t\(seance.title)\t\(schoolClass.name)\t\(chosen.count) activité(s)")
            if confier {
                let code = try box.handOver(seanceId: seance.id, by: person.id)
                print("code de remise / hand-over code: \(SeanceCode.display(code))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the séances with their state.")
        @OptionGroup var options: DataOptions

        func run() throws {
            let box = try options.openBox()
            let classes = Dictionary(try box.classes().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            for seance in try box.allSeances() {
                print("\(seance.id)\t\(seance.state.rawValue)\t\(classes[seance.classId] ?? "")\t\(seance.title)")
            }
        }
    }
}
