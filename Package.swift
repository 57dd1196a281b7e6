// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "agentpath",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "agentpath", targets: ["agentpath"]),
        .executable(name: "agentpath-bench", targets: ["agentpath-bench"]),
        .library(name: "AgentPath", targets: ["AgentPath"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Policy skeletons and the HTML report are rendered from Mustache templates: markup
        // stays in templates/, logic stays in Swift.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // The system libyaml, read through its event API for speed and exact positions.
        .systemLibrary(
            name: "CYaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "AgentPath",
            dependencies: [
                "CYaml",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "agentpath",
            dependencies: [
                "AgentPath",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Times each stage on model files: benchmarks/run.sh, docs/performance.md.
        .executableTarget(
            name: "agentpath-bench",
            dependencies: ["AgentPath"]
        ),
        .testTarget(
            name: "AgentPathTests",
            dependencies: ["AgentPath"],
            exclude: ["Fixtures"]
        ),
    ]
)
