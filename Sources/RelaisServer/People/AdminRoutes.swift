import Foundation
import Hummingbird
import RelaisCore
import RelaisPages
import RelaisStore
import RelaisXAPI

/// The admin's pages: the first visit's setup with the code `relais init` printed, then staff
/// (one by one or by CSV), reset codes, classes and their pupils (one by one or by CSV), with a
/// preview before every import. Every POST carries the session's CSRF token (`FormGuard`).
struct AdminRoutes: Sendable {
    let box: Box
    let pages: PortalPages
    let guardian: FormGuard
    let pending: PendingImports

    struct SetupForm: PortalForm {
        var code: String?
        var nom: String?
        var prenom: String?
        var password: String?
        var confirm: String?
        var csrf: String?
    }

    struct StaffForm: PortalForm {
        var nom: String?
        var prenom: String?
        var role: String?
        var email: String?
        var csrf: String?
    }

    struct ClassForm: PortalForm {
        var nom: String?
        var niveau: String?
        var cycle: String?
        var enseignants: [String]?
        var csrf: String?
    }

    struct PupilForm: PortalForm {
        var prenom: String?
        var initiale: String?
        var csrf: String?
    }

    struct TokenForm: PortalForm {
        var token: String?
        /// `oui` once the confirmation page was answered (irreversible actions).
        var confirmer: String?
        var csrf: String?
    }

    /// The « Êtes-vous sûr ? » page of an irreversible action, posting it again with `confirmer=oui`.
    func confirmation(_ request: Request, _ context: PortalRequestContext, _ action: ConfirmPage.Action, back: String) -> Response {
        pages.response(ConfirmPage(layout: pages.layout(request, context: context), action: action, actionURL: request.uri.path, backURL: back))
    }

    func register(on router: Router<PortalRequestContext>) {
        router.get("admin") { request, context in try self.home(request, context) }
        router.post("admin/installation") { request, context in try await self.setup(request, context) }
        router.post("admin/personnel") { request, context in try await self.addStaff(request, context) }
        router.post("admin/personnel/import") { request, context in try await self.upload(request, context, kind: .staff) }
        router.post("admin/personnel/:id/code") { request, context in try await self.resetCode(request, context, id: context.parameters.get("id") ?? "") }
        router.post("admin/personnel/:id/desactiver") { request, context in try await self.disable(request, context, id: context.parameters.get("id") ?? "") }
        router.post("admin/import/confirmer") { request, context in try await self.confirm(request, context) }
        router.post("admin/classes") { request, context in try await self.addClass(request, context) }
        router.get("admin/classes/:id") { request, context in try self.classPage(request, context, id: context.parameters.get("id") ?? "") }
        router.post("admin/classes/:id/eleves") { request, context in try await self.addPupil(request, context, classID: context.parameters.get("id") ?? "") }
        router.post("admin/classes/:id/eleves/import") { request, context in
            try await self.upload(request, context, kind: .pupils(classID: context.parameters.get("id") ?? ""))
        }
        router.post("admin/classes/:id/eleves/:pupil/retirer") { request, context in
            try await self.removePupil(request, context, classID: context.parameters.get("id") ?? "", pupilID: context.parameters.get("pupil") ?? "")
        }
        router.post("admin/classes/:id/supprimer") { request, context in try await self.deleteClass(request, context, id: context.parameters.get("id") ?? "") }
    }

    // MARK: setup

    func home(_ request: Request, _ context: PortalRequestContext) throws -> Response {
        if try box.adminSetupPending() { return setupPage(request, context) }
        return try adminHome(request, context)
    }

    func setupPage(_ request: Request, _ context: PortalRequestContext, form: SetupForm? = nil, problems: [AdminSetupPage.Problem] = []) -> Response {
        let (token, setCookie) = guardian.token(request, context)
        var headers = HTTPFields()
        if let setCookie { headers[.setCookie] = setCookie }
        let page = AdminSetupPage(
            layout: pages.layout(request, context: context, csrf: token), lastName: form?.nom ?? "", firstName: form?.prenom ?? "",
            problems: problems, passwordMinimum: Passwords.minimumLength)
        return pages.response(page, status: problems.isEmpty ? .ok : .badRequest, headers: headers)
    }

    func setup(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(SetupForm.self, request, context) else { return expired(request, context) }
        guard try box.adminSetupPending() else { return try adminHome(request, context) }
        var problems: [AdminSetupPage.Problem] = []
        if (form.nom ?? "").trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.missingLastName) }
        if (form.prenom ?? "").trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.missingFirstName) }
        let password = form.password ?? ""
        if password.count < Passwords.minimumLength { problems.append(.passwordTooShort(minimum: Passwords.minimumLength)) }
        else if password != form.confirm { problems.append(.passwordsDiffer) }
        guard problems.isEmpty else { return setupPage(request, context, form: form, problems: problems) }
        let address = SignInRoutes.address(context)
        let person: Person
        do {
            person = try await PasswordWork.run { [box] in
                try box.completeAdminSetup(code: form.code ?? "", lastName: form.nom ?? "", firstName: form.prenom ?? "", password: password, address: address)
            }
        } catch let error as PeopleError where error.kind == .codeRefused || error.kind == .throttled {
            return setupPage(request, context, form: form, problems: [.invalidCode])
        }
        // Signed in at once, on a new session.
        let session = try box.createSession(personId: person.id)
        return Response(
            status: .seeOther, headers: [.location: PortalPaths.admin, .cacheControl: "no-store", .setCookie: SignInRoutes.sessionCookie(session.token, box: box)])
    }

    // MARK: home: staff and classes

    func adminHome(
        _ request: Request, _ context: PortalRequestContext, status: HTTPResponse.Status = .ok, notice: AdminNotice? = nil,
        staffDraft: AdminHomePage.StaffDraft = .init(), staffProblems: [FieldProblem] = [], importProblems: [FieldProblem] = [],
        classDraft: AdminHomePage.ClassDraft = .init(), classProblems: [FieldProblem] = []
    ) throws -> Response {
        let staff = try box.staff()
        let counts = try box.pupilCounts()
        let classes = try box.classes().map { c in
            ClassSummary(
                id: c.id, name: c.name, level: c.level ?? "", cycle: c.cycle.flatMap { BundleManifest.Level(rawValue: $0.rawValue) },
                teachers: (try? box.teachers(ofClass: c.id).map { "\($0.firstName) \($0.lastName)" }) ?? [], pupilCount: counts[c.id] ?? 0)
        }
        let page = AdminHomePage(
            layout: pages.layout(request, context: context),
            staff: staff.map {
                StaffMember(
                    id: $0.id, lastName: $0.lastName, firstName: $0.firstName, login: $0.login, role: $0.role == .admin ? .admin : .enseignant,
                    email: $0.email, active: !$0.disabled)
            },
            classes: classes,
            teachers: staff.filter { !$0.disabled }.map { TeacherChoice(id: $0.id, name: "\($0.firstName) \($0.lastName)") },
            notice: notice, staffDraft: staffDraft, staffProblems: staffProblems, staffImportProblems: importProblems,
            classDraft: classDraft, classProblems: classProblems, boxState: try? BoxStateSummary(box.status()))
        return pages.response(page, status: status)
    }

    func addStaff(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(StaffForm.self, request, context) else { return expired(request, context) }
        let role: Layout.Role = form.role == "admin" ? .admin : .enseignant
        let draft = AdminHomePage.StaffDraft(lastName: form.nom ?? "", firstName: form.prenom ?? "", role: role, email: form.email ?? "")
        var problems: [FieldProblem] = []
        if draft.lastName.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.missingLastName) }
        if draft.firstName.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.missingFirstName) }
        let email = draft.email.trimmingCharacters(in: .whitespaces)
        if !email.isEmpty, !PeopleImport.isPlausibleEmail(email) { problems.append(.invalidEmail) }
        guard problems.isEmpty else { return try adminHome(request, context, status: .badRequest, staffDraft: draft, staffProblems: problems) }
        do {
            let person = try box.addStaff(lastName: draft.lastName, firstName: draft.firstName, role: role == .admin ? .admin : .enseignant, email: email.isEmpty ? nil : email)
            return try adminHome(request, context, notice: .staffAdded(name: "\(person.firstName) \(person.lastName) (\(person.login))"))
        } catch let error as PeopleError {
            return try adminHome(request, context, status: .badRequest, staffDraft: draft, staffProblems: [error.kind == .duplicate ? .alreadyExists : .missingName])
        }
    }

    func resetCode(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard let form = try await guardian.form(TokenForm.self, request, context) else { return expired(request, context) }
        guard let person = try box.person(id: id) else { return notFound(request, context) }
        let code = try box.issueResetCode(personId: person.id, by: context.signedIn?.person.id)
        let page = ResetCodePage(
            layout: pages.layout(request, context: context), personName: "\(person.firstName) \(person.lastName)", login: person.login, code: code,
            validHours: 72)
        return pages.response(page)
    }

    func disable(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard let form = try await guardian.form(TokenForm.self, request, context) else { return expired(request, context) }
        guard let target = try box.person(id: id) else { return notFound(request, context) }
        guard form.confirmer == "oui" else {
            return confirmation(request, context, .disableStaff(name: "\(target.firstName) \(target.lastName)"), back: PortalPaths.admin)
        }
        do {
            let person = try box.setStaffDisabled(id: id, true)
            try box.deleteSessions(personId: id)
            return try adminHome(request, context, notice: .staffDisabled(name: "\(person.firstName) \(person.lastName)"))
        } catch let error as PeopleError where error.kind == .lastAdmin {
            return try adminHome(request, context, status: .conflict)
        }
    }

    func addClass(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(ClassForm.self, request, context) else { return expired(request, context) }
        let cycle = form.cycle.flatMap(BundleManifest.Level.init(rawValue:))
        let draft = AdminHomePage.ClassDraft(name: form.nom ?? "", level: form.niveau ?? "", cycle: cycle, teacherIDs: form.enseignants ?? [])
        guard !draft.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            return try adminHome(request, context, status: .badRequest, classDraft: draft, classProblems: [.missingName])
        }
        do {
            let created = try box.addClass(
                name: draft.name, level: draft.level.isEmpty ? nil : draft.level, cycle: cycle.flatMap { SchoolClass.Cycle(rawValue: $0.rawValue) })
            try box.setTeachers(classId: created.id, personIds: draft.teacherIDs)
            return try adminHome(request, context, notice: .classAdded(name: created.name))
        } catch let error as PeopleError {
            return try adminHome(request, context, status: .badRequest, classDraft: draft, classProblems: [error.kind == .duplicate ? .alreadyExists : .missingName])
        }
    }

    // MARK: a class and its pupils

    func classPage(
        _ request: Request, _ context: PortalRequestContext, id: String, status: HTTPResponse.Status = .ok, notice: AdminNotice? = nil,
        draftFirstName: String = "", draftInitial: String = "", pupilProblems: [FieldProblem] = [], importProblems: [FieldProblem] = []
    ) throws -> Response {
        guard let schoolClass = try box.schoolClass(id: id) else { return notFound(request, context) }
        let pupils = try box.pupils(inClass: id)
        // Who looked at which class's pupils (RGPD: the admin reads names only where needed).
        try box.audit(personId: context.signedIn?.person.id, action: "classe.consultee", classId: id)
        let summary = ClassSummary(
            id: schoolClass.id, name: schoolClass.name, level: schoolClass.level ?? "",
            cycle: schoolClass.cycle.flatMap { BundleManifest.Level(rawValue: $0.rawValue) },
            teachers: try box.teachers(ofClass: id).map { "\($0.firstName) \($0.lastName)" }, pupilCount: pupils.count)
        let page = AdminClassPage(
            layout: pages.layout(request, context: context), schoolClass: summary,
            pupils: pupils.map { ClassPupil(id: $0.id, firstName: $0.firstName, initial: $0.lastInitial) }, notice: notice,
            draftFirstName: draftFirstName, draftInitial: draftInitial, pupilProblems: pupilProblems, importProblems: importProblems)
        return pages.response(page, status: status)
    }

    func addPupil(_ request: Request, _ context: PortalRequestContext, classID: String) async throws -> Response {
        guard let form = try await guardian.form(PupilForm.self, request, context) else { return expired(request, context) }
        let first = (form.prenom ?? "").trimmingCharacters(in: .whitespaces)
        let initial = (form.initiale ?? "").trimmingCharacters(in: .whitespaces)
        var problems: [FieldProblem] = []
        if first.isEmpty { problems.append(.missingFirstName) }
        if initial.count != 1 || !(initial.first?.isLetter ?? false) { problems.append(.invalidInitial) }
        guard problems.isEmpty else {
            return try classPage(request, context, id: classID, status: .badRequest, draftFirstName: first, draftInitial: initial, pupilProblems: problems)
        }
        do {
            let pupil = try box.addPupil(classId: classID, firstName: first, lastInitial: initial)
            return try classPage(request, context, id: classID, notice: .pupilAdded(name: pupil.displayName))
        } catch let error as PeopleError {
            if error.kind == .notFound { return notFound(request, context) }
            return try classPage(
                request, context, id: classID, status: .badRequest, draftFirstName: first, draftInitial: initial,
                pupilProblems: [error.kind == .duplicate ? .alreadyExists : .missingFirstName])
        }
    }

    func removePupil(_ request: Request, _ context: PortalRequestContext, classID: String, pupilID: String) async throws -> Response {
        guard let form = try await guardian.form(TokenForm.self, request, context) else { return expired(request, context) }
        guard let pupil = try box.pupil(id: pupilID), pupil.classId == classID else { return notFound(request, context) }
        guard form.confirmer == "oui" else { return confirmation(request, context, .removePupil(name: pupil.displayName), back: PortalPaths.adminClass(classID)) }
        _ = try box.removePupil(id: pupilID, by: context.signedIn?.person.id)
        return try classPage(request, context, id: classID, notice: .pupilRemoved(name: pupil.displayName))
    }

    func deleteClass(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        guard let form = try await guardian.form(TokenForm.self, request, context) else { return expired(request, context) }
        guard let schoolClass = try box.schoolClass(id: id) else { return notFound(request, context) }
        guard form.confirmer == "oui" else { return confirmation(request, context, .deleteClass(name: schoolClass.name), back: PortalPaths.adminClass(id)) }
        _ = try box.removeClass(id: id, by: context.signedIn?.person.id)
        return try adminHome(request, context, notice: .classDeleted(name: schoolClass.name))
    }

    // MARK: CSV imports: upload → preview → confirm

    /// `multipart/form-data` with `csrf` and `fichier` (the CSV, at most 1 MiB).
    func upload(_ request: Request, _ context: PortalRequestContext, kind: PendingImports.Kind) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1024 * 1024 + 64 * 1024)
        guard let contentType = request.headers[.contentType], let boundary = Multipart.boundary(ofContentType: contentType),
            let parts = try? Multipart.parse(Array(buffer: body), boundary: boundary)
        else { return try noFile(request, context, kind: kind) }
        func part(_ name: String) -> MultipartPart? {
            parts.first { ($0.headers["content-disposition"] ?? "").contains("name=\"\(name)\"") }
        }
        let csrf = part("csrf").map { String(decoding: $0.body, as: UTF8.self) }
        guard guardian.isValid(csrf, request, context) else { return expired(request, context) }
        guard let file = part("fichier"), !file.body.isEmpty, let person = context.signedIn?.person else { return try noFile(request, context, kind: kind) }
        let bytes = Array(file.body)
        let fileName = (file.headers["content-disposition"] ?? "").firstMatch(of: /filename="([^"]*)"/).map { String($0.1) } ?? "fichier.csv"
        let layout = pages.layout(request, context: context)
        switch kind {
        case .staff:
            switch try box.previewStaffImport(bytes) {
            case .failure(let problems):
                return pages.response(
                    ImportPreviewPage(layout: layout, kind: .staff, fileName: fileName, rows: [], problems: Self.problems(problems), token: ""),
                    status: .badRequest)
            case .success(let preview):
                let token = pending.keep(.init(kind: kind, bytes: bytes, personID: person.id, at: Date()))
                let rows = preview.lines.map { line in
                    ImportPreviewPage.Row(
                        line: line.row.line, cells: [line.row.lastName, line.row.firstName, line.row.role.rawValue, line.row.email ?? ""], existing: !line.isNew)
                }
                return pages.response(ImportPreviewPage(layout: layout, kind: .staff, fileName: fileName, rows: rows, problems: [], token: token))
            }
        case .pupils(let classID):
            guard let schoolClass = try box.schoolClass(id: classID) else { return notFound(request, context) }
            let cancel = PortalPaths.adminClass(classID)
            switch try box.previewPupilImport(bytes) {
            case .failure(let problems):
                return pages.response(
                    ImportPreviewPage(
                        layout: layout, kind: .pupils(className: schoolClass.name), fileName: fileName, rows: [], problems: Self.problems(problems), token: "",
                        cancelURL: cancel), status: .badRequest)
            case .success(let preview):
                let token = pending.keep(.init(kind: kind, bytes: bytes, personID: person.id, at: Date()))
                let rows = preview.lines.map { line in
                    ImportPreviewPage.Row(line: line.row.line, cells: [line.row.firstName, line.row.lastInitial, line.row.className], existing: !line.isNew)
                }
                return pages.response(
                    ImportPreviewPage(
                        layout: layout, kind: .pupils(className: schoolClass.name), fileName: fileName, rows: rows, problems: [], token: token, cancelURL: cancel))
            }
        }
    }

    func confirm(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(TokenForm.self, request, context) else { return expired(request, context) }
        guard let person = context.signedIn?.person, let upload = pending.take(form.token ?? "", personID: person.id) else {
            return expired(request, context)
        }
        switch upload.kind {
        case .staff:
            switch try box.applyStaffImport(upload.bytes, by: person.id) {
            case .failure: return try adminHome(request, context, status: .badRequest, importProblems: [.noFile])
            case .success(let result):
                return try adminHome(request, context, notice: result.created.isEmpty ? .nothingToImport : .imported(count: result.created.count))
            }
        case .pupils(let classID):
            switch try box.applyPupilImport(upload.bytes, by: person.id) {
            case .failure: return try classPage(request, context, id: classID, status: .badRequest, importProblems: [.noFile])
            case .success(let result):
                return try classPage(request, context, id: classID, notice: result.created.isEmpty ? .nothingToImport : .imported(count: result.created.count))
            }
        }
    }

    static func problems(_ problems: ImportProblems) -> [ImportPreviewPage.Problem] {
        problems.map { ImportPreviewPage.Problem(line: $0.line, column: $0.column, french: $0.french, english: $0.english) }
    }

    func noFile(_ request: Request, _ context: PortalRequestContext, kind: PendingImports.Kind) throws -> Response {
        switch kind {
        case .staff: return try adminHome(request, context, status: .badRequest, importProblems: [.noFile])
        case .pupils(let classID): return try classPage(request, context, id: classID, status: .badRequest, importProblems: [.noFile])
        }
    }

    func expired(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: PortalPaths.admin), status: .badRequest)
    }

    func notFound(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .notFound, backURL: PortalPaths.admin), status: .notFound)
    }
}
