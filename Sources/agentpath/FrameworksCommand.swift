import AgentPath
import ArgumentParser
import Foundation

struct Frameworks: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the framework catalogs, show one item, or report what the rules cover.",
        discussion: """
            Catalogs and crosswalks come from the built-in frameworks/ folder and from every --frameworks DIR. \
            Exit 2 on bad catalog data or an unknown id.
            """,
        subcommands: [List.self, Show.self, Coverage.self],
        defaultSubcommand: List.self
    )
}

struct FrameworkOptions: ParsableArguments {
    @Option(name: .customLong("frameworks"), help: ArgumentHelp("A directory of your own catalogs and crosswalks, read after the built-in ones (repeatable).", valueName: "dir"))
    var directories: [String] = []

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    /// The built-in catalogs plus every --frameworks DIR; diagnostics to stderr, exit 2 on errors.
    func load() throws -> FrameworkSet {
        try FrameworkSupport.load(extra: directories, diagnostics: DiagnosticCollector())
    }
}

extension Frameworks {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the catalogs with edition and item counts.")

        @OptionGroup var options: FrameworkOptions

        func run() throws {
            let report = FrameworkReport(try options.load())
            Terminal.out(options.format == .json ? report.listJSON().rendered() : report.listText())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one catalog item: what it maps to, which rules detect it, which controls mitigate it.",
            discussion: "ID as written or normalised, optionally qualified: ASI03, asi03, NIST:GOVERN-1.1, GOVERN 1.1, AML.T0051.001, LLM06:2025, TM:T3, MAESTRO:L3."
        )

        @Argument(help: "The item's id.")
        var id: [String]

        @OptionGroup var options: FrameworkOptions

        func run() throws {
            let set = try options.load()
            let report = FrameworkReport(set)
            // `show GOVERN 1.1` arrives as two words.
            let query = id.joined(separator: " ")
            switch set.lookup(query) {
            case .found(let ref, let note):
                Terminal.out(options.format == .json ? report.showJSON(ref, note: note).rendered() : report.showText(ref, note: note))
            case .ambiguous(let refs):
                Terminal.err("agentpath: error: " + report.ambiguousText(query, refs))
                throw ExitCode(2)
            case .notFound(let suggestion):
                Terminal.err("agentpath: error: no catalog defines '\(query)'\(suggestion.map { "; did you mean '\($0)'?" } ?? "")\n")
                throw ExitCode(2)
            }
        }
    }

    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per catalog: which items the rules detect, which are out of scope, and the gaps."
        )

        @Option(help: ArgumentHelp("Only this catalog (key or prefix; repeatable).", valueName: "key"))
        var catalog: [String] = []

        @OptionGroup var options: FrameworkOptions

        func run() throws {
            let set = try options.load()
            var keys: [String]?
            if !catalog.isEmpty {
                keys = []
                for name in catalog {
                    guard let c = set.catalogs.first(where: { $0.key == name || $0.prefix.lowercased() == name.lowercased() }) else {
                        Terminal.err("agentpath: error: no catalog '\(name)'\(Suggest.hint(name, in: set.catalogs.map(\.key) + set.catalogs.map(\.prefix)))\n")
                        throw ExitCode(2)
                    }
                    keys!.append(c.key)
                }
            }
            let report = FrameworkReport(set)
            Terminal.out(options.format == .json ? report.coverageJSON(catalogs: keys).rendered() : report.coverageText(catalogs: keys))
        }
    }
}
