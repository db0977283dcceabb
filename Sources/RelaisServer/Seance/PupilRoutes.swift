import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisLaunch
import RelaisPages
import RelaisSeance
import RelaisStore

/// The pupils' side: no account, no password.
///
/// - `GET /`: « Tape le code de ta séance » (`?code=` prefills it); `POST /rejoindre` checks it
///   (throttled per address and per box, 429 with `Retry-After`) and goes to `/s/{code}`.
/// - `GET /s/{code}` (a QR scan lands here): the class list; `POST /s/{code}` (`eleve`): this
///   device gets the pupil's access to that séance (cookie `relais_seance`), then `/eleve`.
/// - `GET /eleve`: the séance's activities in order with the pupil's state; `POST
///   /eleve/activites/{position}` launches one (within the séance, for that pupil only).
/// - `POST /eleve/sortir`: « Ce n'est pas moi » — the device forgets the pupil.
struct PupilRoutes: Sendable {
    let box: Box
    let pages: PortalPages
    let guardian: FormGuard
    let origins: BundleOriginMap
    var service: SeanceService { SeanceService(box: box) }

    func register(on router: Router<PortalRequestContext>) {
        router.get("/") { request, context in self.home(request, context, typed: request.uri.queryParameters.get("code") ?? "") }
        router.post("rejoindre") { request, context in try await self.checkCode(request, context) }
        router.get("s/:code") { request, context in try self.names(request, context) }
        router.post("s/:code") { request, context in try await self.pick(request, context) }
        router.get("eleve") { request, context in try self.activities(request, context) }
        router.post("eleve/activites/:position") { request, context in try await self.launch(request, context) }
        router.post("eleve/sortir") { request, context in try await self.leave(request, context) }
    }

    /// A typed code's séance, or the answer that says why not.
    enum Found {
        case success(Seance)
        case failure(Response)
    }

    struct CodeForm: PortalForm {
        var code: String?
        var csrf: String?
    }

    struct NameForm: PortalForm {
        var eleve: String?
        var csrf: String?
    }

    struct PlainForm: PortalForm {
        var csrf: String?
    }

    func home(_ request: Request, _ context: PortalRequestContext, typed: String, problem: PupilHomePage.Problem? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let (token, setCookie) = guardian.token(request, context)
        var headers: HTTPFields = [:]
        if let setCookie { headers[.setCookie] = setCookie }
        if case .throttled(let minutes) = problem { headers[.retryAfter] = String(minutes * 60) }
        let page = PupilHomePage(layout: pages.layout(request, context: context, csrf: token), typed: String(typed.prefix(12)), problem: problem)
        return pages.response(page, status: status, headers: headers)
    }

    /// The running séance of a typed code, or the home page saying why not.
    func seance(code typed: String, _ request: Request, _ context: PortalRequestContext) throws -> Found {
        do {
            return .success(try box.seance(joinCode: typed, address: context.address))
        } catch let error as PeopleError where error.kind == .throttled {
            let wait = try box.codeAttemptAllowed(address: context.address).map { Int($0.components.seconds / 60) + 1 } ?? 15
            return .failure(home(request, context, typed: typed, problem: .throttled(minutes: wait), status: .tooManyRequests))
        } catch let error as PeopleError where error.kind == .codeRefused {
            return .failure(home(request, context, typed: typed, problem: .unknownCode, status: .badRequest))
        }
    }

    func checkCode(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(CodeForm.self, request, context) else { return expired(request, context) }
        switch try seance(code: form.code ?? "", request, context) {
        case .failure(let response): return response
        case .success: return redirect(PortalPaths.joinCode(SeanceCode.normalized(form.code ?? "") ?? ""), context)
        }
    }

    func names(_ request: Request, _ context: PortalRequestContext) throws -> Response {
        let typed = context.parameters.get("code") ?? ""
        let seance: Seance
        switch try self.seance(code: typed, request, context) {
        case .failure(let response): return response
        case .success(let found): seance = found
        }
        // This device already chose a pupil of this séance: straight to the activities.
        if let access = context.seanceAccess, access.role == .eleve, access.seanceId == seance.id { return redirect(PortalPaths.pupilActivities, context) }
        let (token, setCookie) = guardian.token(request, context)
        let joined = try box.joinedPupils(seanceId: seance.id)
        let names = try box.pupils(inClass: seance.classId).map { PupilNamesPage.Name(id: $0.id, displayName: $0.displayName, joined: joined.contains($0.id)) }
        let page = PupilNamesPage(
            layout: pages.layout(request, context: context, csrf: token), seanceTitle: seance.title, className: try box.schoolClass(id: seance.classId)?.name ?? "",
            code: SeanceCode.normalized(typed) ?? "", names: names)
        var headers: HTTPFields = [:]
        if let setCookie { headers[.setCookie] = setCookie }
        return pages.response(page, headers: headers)
    }

    func pick(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(NameForm.self, request, context) else { return expired(request, context) }
        let seance: Seance
        switch try self.seance(code: context.parameters.get("code") ?? "", request, context) {
        case .failure(let response): return response
        case .success(let found): seance = found
        }
        let access: NewSeanceAccess
        do {
            access = try box.joinSeance(seanceId: seance.id, pupilId: form.eleve ?? "")
        } catch let error as PeopleError where error.kind == .notFound {
            return pages.refusal(request, context, status: .badRequest, french: "Ce prénom n'est pas dans la classe de cette séance.", english: "This name is not in this session's class.")
        }
        let maxAge = max(60, access.access.expiresAt - Int64(Date().timeIntervalSince1970))
        var response = redirect(PortalPaths.pupilActivities, context)
        response.headers[.setCookie] = "\(AccessMiddleware.seanceCookie)=\(access.token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        return response
    }

    func activities(_ request: Request, _ context: PortalRequestContext, notice: Bilingual? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let access = context.seanceAccess, let pupilId = access.pupilId, let seance = try box.seance(id: access.seanceId), seance.state == .enCours,
            let progress = try service.progress(seanceId: seance.id, pupilId: pupilId), let row = progress.rows.first(where: { $0.pupil.id == pupilId })
        else {
            return home(request, context, typed: "", problem: .seanceEnded, status: .gone)
        }
        let items = progress.activities.enumerated().map { index, activity in
            PupilActivitiesPage.Activity(position: activity.position, title: activity.title, cell: SeanceViews.cell(row.cells[index]))
        }
        let (token, setCookie) = guardian.token(request, context)
        let page = PupilActivitiesPage(
            layout: pages.layout(request, context: context, csrf: token), pupilName: row.pupil.displayName, seanceTitle: seance.title, activities: items, notice: notice)
        var headers: HTTPFields = [:]
        if let setCookie { headers[.setCookie] = setCookie }
        return pages.response(page, status: status, headers: headers)
    }

    func launch(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        guard let access = context.seanceAccess, let position = context.parameters.get("position").flatMap(Int.init),
            let activity = try box.seanceActivities(seanceId: access.seanceId).first(where: { $0.position == position })
        else { return try activities(request, context, notice: Bilingual(fr: "Cette activité n'existe pas.", en: "No such activity."), status: .notFound) }
        guard let launchOrigins = LaunchURL(request: request, origins: origins).launchOrigins(activity.bundleId) else {
            return try activities(
                request, context, notice: Bilingual(fr: "Cette activité n'est pas disponible pour l'instant : réessaie dans une minute.", en: "This activity is not available right now: try again in a minute."),
                status: .serviceUnavailable)
        }
        do {
            let outcome = try service.launch(access: access, position: position, origins: launchOrigins)
            box.logger.info("seance launch", metadata: ["launch.id": "\(outcome.launch.id)", "seance.id": "\(access.seanceId)", "launch.bundle": "\(activity.bundleId)"])
            return redirect("/lecture/\(outcome.launch.id)", context)
        } catch let refusal as SeanceService.LaunchRefusal {
            switch refusal {
            case .seanceClosed: return home(request, context, typed: "", problem: .seanceEnded, status: .gone)
            case .noSuchActivity: return try activities(request, context, notice: Bilingual(fr: "Cette activité n'existe pas.", en: "No such activity."), status: .notFound)
            case .unavailable(let french, let english): return try activities(request, context, notice: Bilingual(fr: french, en: english), status: .forbidden)
            }
        }
    }

    func leave(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        if let token = context.seanceToken { try box.deleteSeanceAccess(token: token) }
        var response = redirect(PortalPaths.pupilHome, context)
        response.headers[.setCookie] = "\(AccessMiddleware.seanceCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        return response
    }

    func redirect(_ path: String, _ context: PortalRequestContext) -> Response {
        Response(status: .seeOther, headers: [.location: path + (context.language == .en ? "?lang=en" : ""), .cacheControl: "no-store"])
    }

    func expired(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: PortalPaths.pupilHome), status: .badRequest)
    }
}
