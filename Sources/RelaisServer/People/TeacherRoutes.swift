import Hummingbird
import RelaisContent
import RelaisPages
import RelaisSeance
import RelaisStore

/// `GET /enseignant`: the signed-in teacher's classes (first names and initials) and the catalogue.
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
        let catalogue = try box.catalog().map { PortalRoutes.catalogueItem($0, openURL: base.launch($0.manifest.id)) }
        let seances = person.role == .admin ? try box.allSeances() : try box.seances(ofTeacher: person.id)
        let classNames = Dictionary(try box.classes().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let seanceItems = try seances.map { SeanceViews.list($0, className: classNames[$0.classId] ?? "", activityCount: try box.seanceActivities(seanceId: $0.id).count) }
        let openClasses = try (person.role == .admin ? box.classes() : box.classes(ofTeacher: person.id)).map { SeanceFormFields.ClassChoice(id: $0.id, name: $0.name) }
        let openBundles = try box.catalog().filter { SeanceService.offersToPupils($0) && $0.manifest.kind == .solution }
            .map { SeanceFormFields.ClassChoice(id: $0.manifest.id, name: $0.manifest.title.fr) }
        return pages.response(
            TeacherHomePage(
                layout: pages.layout(request, context: context), classes: classes, catalogue: catalogue, seances: seanceItems,
                openAccess: .init(classes: openClasses, bundles: openBundles)))
    }
}
