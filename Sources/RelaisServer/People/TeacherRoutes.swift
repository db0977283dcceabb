import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisPages
import RelaisSeance
import RelaisStore

/// `GET /enseignant`: the signed-in teacher's classes (first names and initials), their training
/// modules with their progress, and the catalogue.
struct TeacherRoutes: Sendable {
    let box: Box
    let pages: PortalPages
    let origins: BundleOriginMap

    func register(on router: Router<PortalRequestContext>) {
        router.get("enseignant") { request, context in try self.home(request, context) }
    }

    func home(_ request: Request, _ context: PortalRequestContext) throws -> Response {
        guard let person = context.signedIn?.person else { return Response(status: .unauthorized) }
        let classes = try box.classes(ofTeacher: person.id).map { c in
            TeacherHomePage.TeacherClass(
                name: c.name, level: c.level ?? "",
                pupils: try box.pupils(inClass: c.id).map { ClassPupil(id: $0.id, firstName: $0.firstName, initial: $0.lastInitial) })
        }
        if !classes.isEmpty { try box.audit(personId: person.id, action: "classes.consultees", detail: "\(classes.count)") }
        let base = LaunchURL(request: request, origins: origins)
        let entries = try box.catalog()
        let training = try TeacherTraining(box: box, personId: person.id, catalogue: entries)
        let catalogue = entries.map {
            PortalRoutes.catalogueItem($0, openURL: base.launch($0.manifest.id), trainingAdvice: training.advice(for: $0, base: base))
        }
        let seances = person.role == .admin ? try box.allSeances() : try box.seances(ofTeacher: person.id)
        let classNames = Dictionary(try box.classes().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let counts = try box.seanceActivityCounts()
        let seanceItems = seances.map { SeanceViews.list($0, className: classNames[$0.classId] ?? "", activityCount: counts[$0.id] ?? 0) }
        let openClasses = try (person.role == .admin ? box.classes() : box.classes(ofTeacher: person.id)).map { SeanceFormFields.ClassChoice(id: $0.id, name: $0.name) }
        let openBundles = entries.filter { SeanceService.offersToPupils($0) && $0.manifest.kind == .solution }
            .map { SeanceFormFields.ClassChoice(id: $0.manifest.id, name: $0.manifest.title.fr) }
        return pages.response(TeacherHomePage(
            layout: pages.layout(request, context: context), classes: classes, catalogue: catalogue, trainings: training.modules(base: base),
            seances: seanceItems, openAccess: .init(classes: openClasses, bundles: openBundles)))
    }
}

/// A staff member's training: which training modules of the catalogue they opened and completed
/// (from the local LRS, through their staff learner), what a solution advises them to do first.
struct TeacherTraining {
    let catalogue: [CatalogEntry]
    let progress: [String: TrainingProgress]

    /// Nobody signed in (`personId` nil), or a person who never launched anything: no progress.
    /// Reads only: the staff learner is created by the first launch, not by a page view.
    init(box: Box, personId: String?, catalogue: [CatalogEntry]) throws {
        self.catalogue = catalogue
        if let personId, let learner = try box.existingStaffLearner(personId: personId) {
            progress = try box.trainingProgress(learnerId: learner.id)
        } else {
            progress = [:]
        }
        signedIn = personId != nil
    }

    let signedIn: Bool

    /// « Formation conseillée avant usage » for a solution: each of its `requiresTraining` that is
    /// installed and not completed; nothing when nobody is signed in.
    func advice(for entry: CatalogEntry, base: LaunchURL) -> [CatalogueItem.TrainingAdvice] {
        guard signedIn, entry.manifest.kind == .solution, let required = entry.manifest.requiresTraining else { return [] }
        return required.compactMap { id in
            guard progress[id]?.completedAt == nil, let module = catalogue.first(where: { $0.manifest.id == id }) else { return nil }
            return CatalogueItem.TrainingAdvice(
                title: Bilingual(fr: module.manifest.title.fr, en: module.manifest.title.en), openURL: base.launch(id))
        }
    }

    /// Every training module of the catalogue with the person's state.
    func modules(base: LaunchURL) -> [TeacherHomePage.TrainingModule] {
        catalogue.filter { $0.manifest.kind == .training }.map { entry in
            let id = entry.manifest.id
            let state: TeacherHomePage.TrainingModule.State
            if let done = progress[id]?.completedAt {
                state = .completed(at: Int64(done.timeIntervalSince1970))
            } else if progress[id]?.startedAt != nil {
                state = .started
            } else {
                state = .notStarted
            }
            return TeacherHomePage.TrainingModule(
                id: id, title: Bilingual(fr: entry.manifest.title.fr, en: entry.manifest.title.en), state: state, openURL: base.launch(id))
        }
    }
}
