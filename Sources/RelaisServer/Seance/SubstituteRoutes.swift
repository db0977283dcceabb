import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisPages
import RelaisSeance
import RelaisStore

/// The substitute's side (and the owner's, who may run their own séance):
///
/// - `GET|POST /remplacant`: the hand-over code (throttled per address and per box; 429 with
///   `Retry-After` once throttled); a live code gives this device access to that one séance until
///   the hand-over window ends (cookie `relais_seance`).
/// - `GET /remplacant/{seance}`: class list, activities, instructions, plan B; « Démarrer »; the
///   join code and its QR; the live table; « Terminer ».
/// - `GET /remplacant/{seance}/projection`: the join code, large, for the projector.
/// - `GET /remplacant/{seance}/suivi`: the table alone, fetched every 5 s by `/static/suivi.js`.
struct SubstituteRoutes: Sendable {
    let box: Box
    let pages: PortalPages
    let guardian: FormGuard
    let origins: BundleOriginMap
    var service: SeanceService { SeanceService(box: box) }

    /// The séance pages' policy: their own script (the live table), QR images as data URLs.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    func register(on router: Router<PortalRequestContext>) {
        router.get("remplacant") { request, context in self.codePage(request, context, typed: request.uri.queryParameters.get("code") ?? "") }
        router.post("remplacant") { request, context in try await self.redeem(request, context) }
        router.get("remplacant/:seance") { request, context in try self.page(request, context) }
        router.post("remplacant/:seance/demarrer") { request, context in try await self.start(request, context) }
        router.post("remplacant/:seance/terminer") { request, context in try await self.end(request, context) }
        router.get("remplacant/:seance/projection") { request, context in try self.projector(request, context) }
        router.get("remplacant/:seance/suivi") { request, context in try self.progress(request, context) }
        router.get("static/suivi.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Assets.progressScript)))
        }
    }

    struct CodeForm: PortalForm {
        var code: String?
        var csrf: String?
    }

    struct PlainForm: PortalForm {
        var csrf: String?
    }

    func codePage(_ request: Request, _ context: PortalRequestContext, typed: String, problem: SubstituteCodePage.Problem? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let (token, setCookie) = guardian.token(request, context)
        var headers: HTTPFields = [:]
        if let setCookie { headers[.setCookie] = setCookie }
        if case .throttled(let minutes) = problem { headers[.retryAfter] = String(minutes * 60) }
        let page = SubstituteCodePage(layout: pages.layout(request, context: context, csrf: token), typed: String(typed.prefix(12)), problem: problem)
        return pages.response(page, status: status, headers: headers)
    }

    func redeem(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(CodeForm.self, request, context) else {
            return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: PortalPaths.substitute), status: .badRequest)
        }
        let typed = form.code ?? ""
        do {
            let access = try box.redeemHandover(code: typed, address: context.address)
            let maxAge = max(60, access.access.expiresAt - Int64(Date().timeIntervalSince1970))
            var target = PortalPaths.substituteSeance(access.access.seanceId)
            if context.language == .en { target += "?lang=en" }
            return Response(status: .seeOther, headers: [
                .location: target, .cacheControl: "no-store",
                .setCookie: "\(AccessMiddleware.seanceCookie)=\(access.token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict",
            ])
        } catch let error as PeopleError where error.kind == .throttled {
            let wait = try box.codeAttemptAllowed(address: context.address).map { Int($0.components.seconds / 60) + 1 } ?? 15
            return codePage(request, context, typed: typed, problem: .throttled(minutes: wait), status: .tooManyRequests)
        } catch let error as PeopleError where error.kind == .codeRefused {
            return codePage(request, context, typed: typed, problem: .refused, status: .badRequest)
        }
    }

    func page(_ request: Request, _ context: PortalRequestContext, notice: Bilingual? = nil) throws -> Response {
        let id = context.parameters.get("seance") ?? ""
        guard let seance = try box.seance(id: id), let progress = try service.progress(seanceId: id) else { return notFound(request, context) }
        let l = context.language
        let base = LaunchURL(request: request, origins: origins).portal
        var joinCode: String?
        var qr: String?
        if let code = try box.joinCode(of: seance) {
            joinCode = code
            qr = SeanceViews.qrImage(base + PortalPaths.joinCode(code), title: "Relais — rejoindre la séance")
        }
        let (token, setCookie) = guardian.token(request, context)
        let page = SubstituteSeancePage(
            layout: pages.layout(request, context: context, csrf: token), seanceId: id, title: seance.title,
            className: try box.schoolClass(id: seance.classId)?.name ?? "", slot: SlotText.slot(seance.slotStart, seance.slotEnd, l),
            state: SeanceViews.state(seance.state), instructions: seance.instructions, planB: seance.planB, activities: progress.activities.map(\.title),
            pupils: progress.rows.map(\.pupil.displayName), joinCode: joinCode, joinQRImageURL: qr, joinURL: base + PortalPaths.pupilHome,
            progress: SeanceViews.table(progress), accessUntil: context.signedIn == nil ? context.seanceAccess?.expiresAt : nil, notice: notice)
        var headers: HTTPFields = [.contentSecurityPolicy: Self.contentSecurityPolicy]
        if let setCookie { headers[.setCookie] = setCookie }
        return pages.response(page, headers: headers)
    }

    func start(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard try await guardian.form(PlainForm.self, request, context) != nil else { return expired(request, context) }
        let id = context.parameters.get("seance") ?? ""
        do {
            try box.startSeance(id: id, by: context.signedIn?.person.id)
        } catch let error as PeopleError {
            return try page(request, context, notice: Bilingual(fr: error.french, en: error.english))
        }
        return back(id, context)
    }

    struct EndForm: PortalForm {
        var confirmer: String?
        var csrf: String?
    }

    func end(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(EndForm.self, request, context) else { return expired(request, context) }
        let id = context.parameters.get("seance") ?? ""
        // Ending cannot be undone: the box asks for the tick even where the browser did not.
        guard form.confirmer == "oui" else {
            return try page(request, context, notice: Bilingual(fr: "Cochez « Oui, la séance est finie » pour la terminer.", en: "Tick “Yes, the session is over” to end it."))
        }
        try box.endSeance(id: id, by: context.signedIn?.person.id)
        return back(id, context)
    }

    func projector(_ request: Request, _ context: PortalRequestContext) throws -> Response {
        let id = context.parameters.get("seance") ?? ""
        guard let seance = try box.seance(id: id), let code = try box.joinCode(of: seance) else { return back(id, context) }
        let base = LaunchURL(request: request, origins: origins).portal
        let page = ProjectorPage(
            layout: pages.layout(request, context: context), seanceId: id, title: seance.title, joinCode: code,
            joinQRImageURL: SeanceViews.qrImage(base + PortalPaths.joinCode(code), title: "Relais — rejoindre la séance"), homeURL: base + PortalPaths.pupilHome)
        return pages.response(page, headers: [.contentSecurityPolicy: Self.contentSecurityPolicy])
    }

    func progress(_ request: Request, _ context: PortalRequestContext) throws -> Response {
        let id = context.parameters.get("seance") ?? ""
        guard let progress = try service.progress(seanceId: id) else { return notFound(request, context) }
        return pages.response(ProgressFragmentPage(layout: pages.layout(request, context: context), progress: SeanceViews.table(progress)))
    }

    func back(_ id: String, _ context: PortalRequestContext) -> Response {
        Response(status: .seeOther, headers: [.location: PortalPaths.substituteSeance(id) + (context.language == .en ? "?lang=en" : ""), .cacheControl: "no-store"])
    }

    func expired(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: PortalPaths.substitute), status: .badRequest)
    }

    func notFound(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .notFound, backURL: PortalPaths.substitute), status: .notFound)
    }
}
