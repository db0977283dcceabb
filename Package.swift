// swift-tools-version:6.1
import PackageDescription

// Module graph (arrows point one way, from the pure core up to the CLI):
//   RelaisCore ← RelaisArchive ← RelaisStore ← RelaisServer ← relais
//   RelaisCore ← RelaisContent ← RelaisServer
//   RelaisCore ← RelaisRepository (TUF metadata, client workflow, transports: folder and HTTP)
//   RelaisRepository + RelaisArchive ← RelaisHub (the hub's `relais repo`: keys, publish, rotate)
//   RelaisRepository + RelaisStore ← RelaisSync (`relais sync` / `relais import PATH`)
//   RelaisCore ← RelaisXAPI (xAPI 1.0.3 statements, validation, pseudonyms; pure) ← RelaisStore
//   RelaisStore + RelaisXAPI ← RelaisUpstream (push to the upstream LRS)
//   RelaisStore + RelaisXAPI ← RelaisLaunch (cmi5, SCORM runtime, the player page; no HTTP) ← RelaisServer
//   RelaisStore + RelaisLaunch ← RelaisSeance (the séance prête: pupils' launches within a séance,
//   progress, report; no HTTP) ← RelaisServer
//   RelaisCore ← RelaisPages (the portal's HTML: view models, Mustache templates compiled into the
//   binary, French and English texts, the stylesheet; no HTTP, no database) ← RelaisServer
//   CQRencode ← RelaisQR (QR codes as SVG, for the séance's hand-over sheet and join code) ← RelaisServer
// CArchive is the system libarchive, seen only by RelaisArchive; CQRencode the system libqrencode,
// seen only by RelaisQR; CSystemShims holds the few libc calls Swift cannot see (syncfs).
let package = Package(
    name: "relais",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "relais", targets: ["relais"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(
            name: "CSystemShims"
        ),
        .target(
            name: "RelaisQR",
            dependencies: ["CQRencode"]
        ),
        .target(
            name: "RelaisCore"
        ),
        .target(
            name: "RelaisArchive",
            dependencies: [
                "RelaisCore",
                "CArchive",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RelaisRepository",
            dependencies: [
                "RelaisCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "RelaisXAPI",
            dependencies: [
                "RelaisCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RelaisUpstream",
            dependencies: [
                "RelaisCore",
                "RelaisXAPI",
                "RelaisStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "RelaisHub",
            dependencies: [
                "RelaisCore",
                "RelaisArchive",
                "RelaisRepository",
                "CSystemShims",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RelaisSync",
            dependencies: [
                "RelaisCore",
                "RelaisStore",
                "RelaisRepository",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "RelaisStore",
            dependencies: [
                "RelaisCore",
                "RelaisXAPI",
                "RelaisArchive",
                "CSystemShims",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "RelaisPages",
            dependencies: [
                "RelaisCore",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "RelaisContent",
            dependencies: [
                "RelaisCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "RelaisLaunch",
            dependencies: [
                "RelaisCore",
                "RelaisXAPI",
                "RelaisStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "RelaisSeance",
            dependencies: ["RelaisCore", "RelaisStore", "RelaisLaunch", "RelaisXAPI"]
        ),
        .target(
            name: "RelaisServer",
            dependencies: [
                "RelaisCore",
                "RelaisLaunch",
                "RelaisSeance",
                "RelaisPages",
                "RelaisQR",
                "RelaisXAPI",
                "RelaisUpstream",
                "RelaisSync",
                "RelaisStore",
                "RelaisContent",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "relais",
            dependencies: [
                "RelaisCore",
                "RelaisArchive",
                "RelaisStore",
                "RelaisServer",
                "RelaisRepository",
                "RelaisHub",
                "RelaisSync",
                "RelaisXAPI",
                "RelaisUpstream",
                "RelaisSeance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "RelaisCoreTests", dependencies: ["RelaisCore"]),
        .testTarget(
            name: "RelaisRepositoryTests",
            dependencies: ["RelaisRepository", "RelaisCore", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"]  // read through #filePath, so the tests see the committed bytes
        ),
        .testTarget(name: "RelaisXAPITests", dependencies: ["RelaisXAPI", "RelaisCore"]),
        .testTarget(name: "RelaisPagesTests", dependencies: ["RelaisPages", "RelaisCore"]),
        .testTarget(name: "RelaisQRTests", dependencies: ["RelaisQR"]),
        .testTarget(
            name: "RelaisUpstreamTests",
            dependencies: ["RelaisUpstream", "RelaisXAPI", "RelaisStore", "RelaisCore", "RelaisTestSupport"]
        ),
        .testTarget(name: "RelaisHubTests", dependencies: ["RelaisHub", "RelaisRepository", "RelaisArchive", "RelaisCore"]),
        .testTarget(
            name: "RelaisSyncTests",
            dependencies: [
                "RelaisSync", "RelaisHub", "RelaisRepository", "RelaisStore", "RelaisCore", "RelaisTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "RelaisArchiveTests",
            dependencies: ["RelaisArchive", "RelaisCore", "CArchive"]
        ),
        .target(
            name: "RelaisTestSupport",
            dependencies: [
                "RelaisStore", "RelaisArchive", "RelaisCore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/RelaisTestSupport"
        ),
        .testTarget(
            name: "RelaisStoreTests",
            dependencies: ["RelaisStore", "RelaisArchive", "RelaisCore", "RelaisTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "RelaisContentTests",
            dependencies: [
                "RelaisContent", "RelaisCore", "RelaisTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "RelaisSeanceTests",
            dependencies: ["RelaisSeance", "RelaisLaunch", "RelaisStore", "RelaisCore", "RelaisTestSupport"]
        ),
        .testTarget(
            name: "RelaisServerTests",
            dependencies: [
                "RelaisServer", "RelaisLaunch", "RelaisSeance", "RelaisStore", "RelaisCore", "RelaisXAPI", "RelaisContent", "RelaisTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing (issue 11): RelaisFuzzBodies holds one function per fuzzed parser and is built like any
// library, so RelaisFuzzTests replays Tests/Fuzz/*/{corpus,regressions} in every `swift test`.
// The libFuzzer executable `relais-fuzz` has no main of its own (libFuzzer's is linked in by
// -sanitize=fuzzer), so it exists only when RELAIS_FUZZ=1: scripts/fuzz builds it with
// `RELAIS_FUZZ=1 swift build --scratch-path .build-fuzz -sanitize=fuzzer --product relais-fuzz`.
package.targets += [
    .target(
        name: "RelaisFuzzBodies",
        dependencies: ["RelaisCore", "RelaisArchive", "RelaisContent", "RelaisRepository", "RelaisXAPI"]
    ),
    .testTarget(name: "RelaisFuzzTests", dependencies: ["RelaisFuzzBodies"]),
]
if Context.environment["RELAIS_FUZZ"] == "1" {
    package.products.append(.executable(name: "relais-fuzz", targets: ["RelaisFuzz"]))
    package.targets.append(
        .executableTarget(
            name: "RelaisFuzz",
            dependencies: ["RelaisFuzzBodies"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    )
}
