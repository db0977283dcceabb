import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisLaunch
import RelaisPages
import RelaisSeance
import RelaisStore

/// The teacher's side of the séance prête (`AccessPolicy`: staff create; the séance's owner — its
/// teacher, or the admin — sees, edits, hands over, copies, deletes and reads the report).
///
/// - `GET /enseignant/seances/nouvelle`, `POST /enseignant/seances`: a new draft.
/// - `GET|POST /enseignant/seances/{seance}`: the séance page; its details.
/// - `POST …/activites` (`ressource`, `element`), `POST …/activites/{position}/{monter|descendre|retirer}`.
/// - `POST …/confier` (the hand-over sheet, once), `…/revoquer`, `…/copier`, `…/supprimer`.
/// - `GET …/rapport.csv`.
/// - `POST /enseignant/acces-libre` (`classe`, `ressources[]`): an « accès libre » séance, started.
struct SeanceTeacherRoutes: Sendable {
    let box: Box
    let pages: PortalPages
    let guardian: FormGuard
    let origins: BundleOriginMap
    var service: SeanceService { SeanceService(box: box) }

    func register(on router: Router<PortalRequestContext>) {
        router.get("enseignant/seances/nouvelle") { request, context in try self.newPage(request, context) }
        router.post("enseignant/seances") { request, context in try await self.create(request, context) }
        router.post("enseignant/acces-libre") { request, context in try await self.openAccess(request, context) }
        router.get("enseignant/seances/:seance") { request, context in try self.page(request, context, id: Self.id(context)) }
        router.post("enseignant/seances/:seance") { request, context in try await self.update(request, context, id: Self.id(context)) }
        router.post("enseignant/seances/:seance/activites") { request, context in try await self.addActivity(request, context, id: Self.id(context)) }
        router.post("enseignant/seances/:seance/activites/:position/:move") { request, context in
            try await self.move(request, context, id: Self.id(context))
        }
        router.post("enseignant/seances/:seance/confier") { request, context in try await self.handOver(request, context, id: Self.id(context)) }
        router.post("enseignant/seances/:seance/revoquer") { request, context in try await self.revoke(request, context, id: Self.id(context)) }
        router.post("enseignant/seances/:seance/copier") { request, context in try await self.copy(request, context, id: Self.id(context)) }
        router.post("enseignant/seances/:seance/supprimer") { request, context in try await self.delete(request, context, id: Self.id(context)) }
        router.get("enseignant/seances/:seance/rapport.csv") { request, context in try self.csv(request, context, id: Self.id(context)) }
    }

    static func id(_ context: PortalRequestContext) -> String { context.parameters.get("seance") ?? "" }

    // MARK: forms

    struct DetailsForm: PortalForm {
        var titre: String?
        var classe: String?
        var date: String?
        var debut: String?
        var fin: String?
        var consignes: String?
        var planb: String?
        var csrf: String?

        var fields: (date: String, start: String, end: String) { (date ?? "", debut ?? "", fin ?? "") }
    }

    struct ActivityForm: PortalForm {
        var ressource: String?
        var element: String?
        var csrf: String?
    }

    struct OpenAccessForm: PortalForm {
        var classe: String?
        var ressources: [String]?
        var csrf: String?
    }

    struct PlainForm: PortalForm {
        var csrf: String?
    }

    // MARK: pages

    /// The classes a person may prepare for: a teacher's own, every class for the admin.
    func classes(for person: Person) throws -> [SchoolClass] {
        person.role == .admin ? try box.classes() : try box.classes(ofTeacher: person.id)
    }

    func newPage(_ request: Request, _ context: PortalRequestContext, fields: SeanceFormFields? = nil, problems: [String] = []) throws -> Response {
        guard let person = context.signedIn?.person else { return Response(status: .unauthorized) }
        let choices = try classes(for: person).map { SeanceFormFields.ClassChoice(id: $0.id, name: $0.name) }
        let requested = request.uri.queryParameters.get("classe") ?? ""
        let page = SeanceNewPage(
            layout: pages.layout(request, context: context), fields: fields ?? SeanceFormFields(classId: requested, classes: choices), problems: problems)
        return pages.response(page, status: problems.isEmpty ? .ok : .badRequest)
    }

    /// The draft a details form describes, or the problems to show (in the page's language).
    func draft(_ form: DetailsForm, person: Person, language: Language) throws -> (SeanceDraft?, [String]) {
        var problems: [String] = []
        let classId = form.classe ?? ""
        if try !classes(for: person).contains(where: { $0.id == classId }) {
            problems.append(language.pick("choisissez une de vos classes", "choose one of your classes"))
        }
        let (date, start, end) = form.fields
        var slotStart: Int64?
        var slotEnd: Int64?
        if !date.isEmpty || !start.isEmpty || !end.isEmpty {
            slotStart = SlotText.parse(date: date, time: start.isEmpty ? "08:00" : start)
            slotEnd = end.isEmpty ? nil : SlotText.parse(date: date, time: end)
            if slotStart == nil || (!end.isEmpty && slotEnd == nil) {
                problems.append(language.pick("le créneau est incomplet : donnez une date (et des heures au format 10:00)", "the slot is incomplete: give a date (and times as 10:00)"))
            }
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (SeanceDraft(title: form.titre ?? "", classId: classId, slotStart: slotStart, slotEnd: slotEnd, instructions: form.consignes ?? "", planB: form.planb ?? ""), [])
    }

    func fields(_ form: DetailsForm, person: Person) throws -> SeanceFormFields {
        let (date, start, end) = form.fields
        return SeanceFormFields(
            title: form.titre ?? "", classId: form.classe ?? "", date: date, start: start, end: end, instructions: form.consignes ?? "",
            planB: form.planb ?? "", classes: try classes(for: person).map { .init(id: $0.id, name: $0.name) })
    }

    func create(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let person = context.signedIn?.person else { return Response(status: .unauthorized) }
        guard let form = try await guardian.form(DetailsForm.self, request, context) else { return expired(request, context) }
        let (draft, problems) = try draft(form, person: person, language: context.language)
        guard let draft else { return try newPage(request, context, fields: try fields(form, person: person), problems: problems) }
        do {
            let seance = try box.createSeance(draft, teacherId: person.id, createdBy: person.id)
            return redirect(PortalPaths.seance(seance.id), context)
        } catch let error as PeopleError {
            return try newPage(request, context, fields: try fields(form, person: person), problems: [context.language.pick(error.french, error.english)])
        }
    }

    func page(_ request: Request, _ context: PortalRequestContext, id: String, fields: SeanceFormFields? = nil, problems: [String] = [], notice: String? = nil) throws -> Response {
        guard let person = context.signedIn?.person, let seance = try box.seance(id: id) else { return notFound(request, context) }
        let l = context.language
        let activities = try box.seanceActivities(seanceId: id)
        let now = try box.trustedNow()
        let catalogue = try box.catalog(at: now)
        let byID = Dictionary(catalogue.map { ($0.manifest.id, $0) }, uniquingKeysWith: { a, _ in a })
        let items = activities.map { a -> SeanceActivityItem in
            guard let entry = byID[a.bundleId] else {
                return SeanceActivityItem(position: a.position, title: a.title, detail: "", problem: Bilingual(fr: "Cette ressource n'est plus sur la box.", en: "This resource is no longer on the box."))
            }
            let problem: Bilingual? = SeanceService.offersToPupils(entry) ? nil : Bilingual(fr: entry.refusal?.french ?? "Pas ouverte aux élèves.", en: entry.refusal?.english ?? "Not open to pupils.")
            return SeanceActivityItem(position: a.position, title: a.title, detail: SeanceViews.detail(entry.manifest), problem: problem)
        }
        // The picker: the catalogue's filters (the public fixed to pupils), training advice.
        var query = PortalRoutes.query(of: request)
        query["public"] = "ELEVE"
        let filter = CatalogueFilter(query: query, now: now)
        let offered = catalogue.filter { SeanceService.offersToPupils($0) && $0.manifest.kind == .solution }
        let training = try TeacherTraining(box: box, personId: person.id, catalogue: catalogue)
        let base = LaunchURL(request: request, origins: origins)
        // Each bundle, and each SCO/AU of a course that has several (a séance may pick one).
        let candidates = filter.apply(to: offered).flatMap { entry in
            let advice = training.advice(for: entry, base: base).first
            return service.choices(of: entry).map { choice in
                SeancePage.Candidate(
                    bundleId: choice.bundleId, itemId: choice.itemId, title: choice.itemId == nil ? choice.title : choice.partTitle,
                    detail: choice.itemId == nil ? SeanceViews.detail(entry.manifest) : l.pick("une partie", "one part"),
                    advice: advice.map { l.pick("Formation conseillée avant usage : \($0.title.fr)", "Training advised before use: \($0.title.pick(.en))") },
                    adviceURL: advice?.openURL, isPart: choice.itemId != nil)
            }
        }
        let filterForm = CatalogueFilterForm(
            action: PortalPaths.seance(id), filter: filter, options: CatalogueFilter.options(for: offered), showsAudience: false)
        let className = try box.schoolClass(id: seance.classId)?.name ?? ""
        let handover = try box.handover(seanceId: id)
        let (date, start) = SlotText.formValues(seance.slotStart)
        let end = SlotText.formValues(seance.slotEnd).time
        let classChoices = try classes(for: person).map { SeanceFormFields.ClassChoice(id: $0.id, name: $0.name) }
        let current = fields ?? SeanceFormFields(
            title: seance.title, classId: seance.classId, date: date, start: start, end: end, instructions: seance.instructions, planB: seance.planB,
            classes: classChoices)
        var progress: ProgressTable?
        var charts: [SeancePage.Chart] = []
        if seance.state == .enCours || seance.state == .terminee, let computed = try service.progress(seanceId: id) {
            progress = SeanceViews.table(computed)
            charts = computed.summaries.map { SeanceViews.chart($0, pupils: max(computed.joinedCount, 1), l) }
            try box.audit(personId: person.id, action: "seance.rapport.consulte", classId: seance.classId, detail: seance.id)
        }
        let page = SeancePage(
            layout: pages.layout(request, context: context), id: id, state: SeanceViews.state(seance.state), libre: seance.kind == .libre,
            className: className, fields: current, problems: problems, notice: notice, activities: items, candidates: candidates, filterForm: filterForm,
            handoverUntil: handover?.validUntil, handoverRevoked: handover?.revokedAt != nil, progress: progress, charts: charts)
        return pages.response(page, status: problems.isEmpty ? .ok : .badRequest)
    }

    func update(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard let person = context.signedIn?.person else { return Response(status: .unauthorized) }
        guard let form = try await guardian.form(DetailsForm.self, request, context) else { return expired(request, context) }
        let (draft, problems) = try draft(form, person: person, language: context.language)
        guard let draft else { return try page(request, context, id: id, fields: try fields(form, person: person), problems: problems) }
        do {
            try box.updateSeance(id: id, draft)
        } catch let error as PeopleError {
            return try page(request, context, id: id, fields: try fields(form, person: person), problems: [context.language.pick(error.french, error.english)])
        }
        return redirect(PortalPaths.seance(id), context)
    }

    func addActivity(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard let form = try await guardian.form(ActivityForm.self, request, context) else { return expired(request, context) }
        let l = context.language
        guard let bundleID = form.ressource, let entry = try box.catalogEntry(id: bundleID, at: box.trustedNow()), SeanceService.offersToPupils(entry) else {
            return try page(request, context, id: id, problems: [l.pick("cette ressource n'est pas ouverte aux élèves de l'établissement", "this resource is not open to the school's pupils")])
        }
        let item = (form.element ?? "").isEmpty ? nil : form.element
        guard let choice = service.choices(of: entry).first(where: { $0.itemId == item }) else {
            return try page(request, context, id: id, problems: [l.pick("cette partie n'existe pas dans la ressource", "this part does not exist in the resource")])
        }
        do {
            try box.addSeanceActivity(seanceId: id, bundleId: bundleID, itemId: item, title: choice.title)
        } catch let error as PeopleError {
            return try page(request, context, id: id, problems: [l.pick(error.french, error.english)])
        }
        return redirect(PortalPaths.seance(id) + "#activites", context)
    }

    func move(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        guard let position = context.parameters.get("position").flatMap(Int.init), let move = context.parameters.get("move").flatMap(Box.ActivityMove.init) else {
            return notFound(request, context)
        }
        do {
            try box.moveSeanceActivity(seanceId: id, position: position, move)
        } catch let error as PeopleError {
            return try page(request, context, id: id, problems: [context.language.pick(error.french, error.english)])
        }
        return redirect(PortalPaths.seance(id) + "#activites", context)
    }

    func handOver(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        guard let person = context.signedIn?.person, let seance = try box.seance(id: id) else { return notFound(request, context) }
        let code: String
        do {
            code = try box.handOver(seanceId: id, by: person.id)
        } catch let error as PeopleError {
            return try page(request, context, id: id, problems: [context.language.pick(error.french, error.english)])
        }
        let base = LaunchURL(request: request, origins: origins).portal
        let link = base + PortalPaths.substitute + "?code=" + code
        let until = try box.handover(seanceId: id)?.validUntil ?? 0
        let page = HandoverSheetPage(
            layout: pages.layout(request, context: context), seanceTitle: seance.title, className: try box.schoolClass(id: seance.classId)?.name ?? "",
            slot: SlotText.slot(seance.slotStart, seance.slotEnd, context.language), code: code,
            qrImageURL: SeanceViews.qrImage(link, title: "Relais — remplaçant"), substituteURL: base + PortalPaths.substitute, validUntil: until, seanceId: id)
        return pages.response(page)
    }

    func revoke(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        try box.revokeHandover(seanceId: id, by: context.signedIn?.person.id)
        return redirect(PortalPaths.seance(id), context)
    }

    func copy(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        let person = context.signedIn?.person
        let copy = try box.copySeance(id: id, teacherId: person?.role == .enseignant ? person?.id : nil, createdBy: person?.id)
        return redirect(PortalPaths.seance(copy.id), context)
    }

    struct ConfirmForm: PortalForm {
        var confirmer: String?
        var csrf: String?
    }

    func delete(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard let form = try await guardian.form(ConfirmForm.self, request, context) else { return expired(request, context) }
        // Deleting cannot be undone: the box asks for the tick even where the browser did not.
        guard form.confirmer == "oui" else {
            return try page(request, context, id: id, problems: [context.language.pick("Cochez « Oui, supprimer cette séance » pour la supprimer.", "Tick “Yes, delete this session” to delete it.")])
        }
        try box.deleteSeance(id: id)
        try box.audit(personId: context.signedIn?.person.id, action: "seance.supprimee", detail: id)
        return redirect(PortalPaths.teacher, context)
    }

    func csv(_ request: Request, _ context: PortalRequestContext, id: String) throws -> Response {
        guard let seance = try box.seance(id: id), let progress = try service.progress(seanceId: id) else { return notFound(request, context) }
        try box.audit(personId: context.signedIn?.person.id, action: "seance.rapport.csv", classId: seance.classId, detail: id)
        let name = "rapport-seance-\(SlotText.formValues(seance.startedAt ?? seance.createdAt).date).csv"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: SeanceService.csv(progress))))
    }

    /// « Accès libre »: a séance with no teacher for a class in another room, started at once;
    /// the staff member who opened it runs it like a substitute.
    func openAccess(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let person = context.signedIn?.person else { return Response(status: .unauthorized) }
        guard let form = try await guardian.form(OpenAccessForm.self, request, context) else { return expired(request, context) }
        let l = context.language
        guard let classId = form.classe, let schoolClass = try classes(for: person).first(where: { $0.id == classId }) else {
            return pages.refusal(request, context, status: .badRequest, french: "Choisissez une de vos classes.", english: "Choose one of your classes.")
        }
        let now = try box.trustedNow()
        let chosen = try (form.ressources ?? []).compactMap { try box.catalogEntry(id: $0, at: now) }.filter(SeanceService.offersToPupils)
        guard !chosen.isEmpty else {
            return pages.refusal(
                request, context, status: .badRequest, french: "Cochez au moins une ressource ouverte aux élèves.", english: "Tick at least one resource open to pupils.")
        }
        let title = l.pick("Accès libre — \(schoolClass.name)", "Open access — \(schoolClass.name)")
        let seance = try box.createSeance(SeanceDraft(title: title, classId: classId), teacherId: nil, kind: .libre, createdBy: person.id)
        for entry in chosen.prefix(SeanceLimits.activities) {
            try box.addSeanceActivity(seanceId: seance.id, bundleId: entry.manifest.id, itemId: nil, title: entry.manifest.title.fr)
        }
        try box.startSeance(id: seance.id, by: person.id)
        return redirect(PortalPaths.substituteSeance(seance.id), context)
    }

    // MARK: answers

    func redirect(_ path: String, _ context: PortalRequestContext) -> Response {
        let target = context.language == .en ? (path.contains("#") ? path.replacingOccurrences(of: "#", with: "?lang=en#") : path + "?lang=en") : path
        return Response(status: .seeOther, headers: [.location: target, .cacheControl: "no-store"])
    }

    func expired(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: PortalPaths.teacher), status: .badRequest)
    }

    func notFound(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .notFound, backURL: PortalPaths.teacher), status: .notFound)
    }
}
