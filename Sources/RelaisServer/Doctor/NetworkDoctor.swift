import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import RelaisStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks of `relais doctor` that use the network: the upstream LRS and the repository when
/// configured (one short request each), and the portal and content ports (free, or held by this
/// box's own `relais serve`).
public enum NetworkDoctor {
    public static func check(box: Box, timeout: TimeAmount = .seconds(5)) async -> DoctorReport {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: timeout, read: timeout)
        configuration.redirectConfiguration = .follow(max: 3, allowCycles: false)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let report = await check(box: box, client: client, timeout: timeout)
        try? await client.shutdown()
        return report
    }

    static func check(box: Box, client: HTTPClient, timeout: TimeAmount) async -> DoctorReport {
        var report = DoctorReport()
        let root = box.directory.root.path
        let lrs = ((try? box.setting("upstream.lrs.url")) ?? "").trimmingSuffix("/")
        if lrs.isEmpty {
            report.checks.append("upstream LRS: none configured")
        } else {
            let url = lrs + "/about"
            switch await get(client, url, headers: ["X-Experience-API-Version": "1.0.3"], timeout: timeout) {
            case .success(let status) where status == 200:
                report.checks.append("upstream LRS: \(url) answers 200")
            case .success(let status):
                report.problems.append("upstream LRS: \(url) answers \(status), not an LRS's about — check the address: relais config --data \(root) set upstream.lrs.url URL")
            case .failure(let reason):
                report.problems.append("upstream LRS: \(url) cannot be reached (\(reason)) — check the network, or the address: relais config --data \(root) set upstream.lrs.url URL")
            }
        }
        let repository = ((try? box.setting("repository.url")) ?? "").trimmingSuffix("/")
        if repository.isEmpty {
            report.checks.append("repository: none configured")
        } else if repository.hasPrefix("http://") || repository.hasPrefix("https://") {
            let url = repository + "/metadata/timestamp.json"
            switch await get(client, url, headers: [:], timeout: timeout) {
            case .success(let status) where status == 200:
                report.checks.append("repository: \(url) answers 200")
            case .success(let status):
                report.problems.append("repository: \(url) answers \(status) — check the address: relais config --data \(root) set repository.url URL")
            case .failure(let reason):
                report.problems.append("repository: \(url) cannot be reached (\(reason)) — check the network, or the address: relais config --data \(root) set repository.url URL")
            }
        } else {
            let path = URL(fileURLWithPath: repository).appendingPathComponent("metadata/timestamp.json").path
            if FileManager.default.isReadableFile(atPath: path) {
                report.checks.append("repository: folder \(repository) readable")
            } else {
                report.problems.append("repository: \(path) cannot be read (stick not mounted? wrong folder?) — mount it, or set the folder: relais config --data \(root) set repository.url FOLDER")
            }
        }
        guard let server = try? ServerConfiguration(box: box) else { return report }
        let uai = (try? box.identity().uai) ?? ""
        for (port, key, isPortal) in [(server.port, "serve.port", true), (server.contentPort, "serve.contentPort", false)] {
            report.append(await portCheck(client, host: server.host, port: port, key: key, isPortal: isPortal, uai: uai, root: root, timeout: timeout))
        }
        return report
    }

    /// A port `relais serve` needs: free, or answered by this box's own server.
    static func portCheck(
        _ client: HTTPClient, host: String, port: Int, key: String, isPortal: Bool, uai: String, root: String, timeout: TimeAmount
    ) async -> DoctorReport {
        var report = DoctorReport()
        let bindError: Int32?
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await channel.close()
            bindError = nil
        } catch let error as IOError {
            bindError = error.errnoCode
        } catch {
            bindError = EINVAL
        }
        let fix = "relais config --data \(root) set \(key) OTHER_PORT"
        switch bindError {
        case nil:
            report.checks.append("port \(port) (\(key)): free for relais serve")
        case EADDRINUSE?:
            let probeHost = ["", "0.0.0.0", "::", "[::]"].contains(host) ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
            if await heldByRelais(client, "http://\(probeHost):\(port)", isPortal: isPortal, uai: uai, timeout: timeout) {
                report.checks.append("port \(port) (\(key)): held by this box's relais serve")
            } else {
                report.problems.append("port \(port) (\(key)) is taken by another program (ss -ltnp 'sport = :\(port)' names it) — stop it, or move relais: \(fix)")
            }
        case EACCES?:
            report.problems.append("port \(port) (\(key)) needs a privilege this user lacks (ports under 1024) — run relais serve through relais.service (it grants CAP_NET_BIND_SERVICE), or move it: \(fix)")
        case let code?:
            report.problems.append("port \(port) (\(key)) on \(host) cannot be opened (\(String(cString: strerror(code)))) — check serve.host, or move it: \(fix)")
        }
        return report
    }

    /// The portal answers `/healthz` with this box's UAI; the content origin names itself `relais`.
    static func heldByRelais(_ client: HTTPClient, _ base: String, isPortal: Bool, uai: String, timeout: TimeAmount) async -> Bool {
        var request = HTTPClientRequest(url: base + (isPortal ? "/healthz" : "/"))
        request.method = .GET
        guard let response = try? await client.execute(request, timeout: timeout) else { return false }
        if !isPortal { return response.headers.first(name: "server") == "relais" }
        guard response.status == .ok, let body = try? await response.body.collect(upTo: 64 * 1024),
            let json = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        else { return false }
        return json["uai"] as? String == uai
    }

    enum Outcome {
        case success(Int)
        case failure(String)
    }

    static func get(_ client: HTTPClient, _ url: String, headers: [String: String], timeout: TimeAmount) async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 1024 * 1024)
            return .success(Int(response.status.code))
        } catch {
            return .failure(describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "no answer within the time limit" }
            return "\(error)"
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return text
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var value = trimmingCharacters(in: .whitespaces)
        while value.hasSuffix(suffix) { value.removeLast(suffix.count) }
        return value
    }
}
