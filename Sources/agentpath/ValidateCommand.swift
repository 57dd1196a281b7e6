import AgentPath
import ArgumentParser

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check models and report every problem with its location.",
        discussion: "Exit 0 when valid, 2 on any error, 1 on warnings only with --strict."
    )

    @Argument(help: "Model files or directories; each is one model.")
    var paths: [String]

    @Option(help: "text or json (diagnostics as JSON on stdout).")
    var format: OutputFormat = .text

    @Flag(help: "Treat warnings as failures (exit 1).")
    var strict = false

    func run() throws {
        var anyError = false
        var anyWarning = false
        var reports: [JSON] = []
        for path in paths {
            let diagnostics = DiagnosticCollector()
            let model = Pipeline().load(path: path, diagnostics: diagnostics)
            let sorted = diagnostics.sorted
            anyError = anyError || diagnostics.hasErrors
            anyWarning = anyWarning || diagnostics.warningCount > 0
            switch format {
            case .text:
                Terminal.err(DiagnosticsEmitter.text(sorted, color: Terminal.useColor(2)))
                if diagnostics.dropped > 0 { Terminal.err("… \(diagnostics.dropped) more diagnostics not shown\n") }
                let counts = DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount)
                if let model {
                    Terminal.out("\(path): valid — \(model.model.elementCount) elements; \(counts)\n")
                } else {
                    Terminal.out("\(path): invalid — \(counts)\n")
                }
            case .json:
                reports.append(.object([
                    ("path", .string(path)),
                    ("valid", .bool(model != nil)),
                    ("elements", model.map { .int($0.model.elementCount) } ?? .null),
                    ("errors", .int(diagnostics.errorCount)),
                    ("warnings", .int(diagnostics.warningCount)),
                    ("diagnostics", DiagnosticsEmitter.json(sorted)),
                ]))
            }
        }
        if format == .json {
            Terminal.out(JSON.object([("version", .int(1)), ("models", .array(reports))]).rendered())
        }
        if anyError { throw ExitCode(2) }
        if strict && anyWarning { throw ExitCode(1) }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema (draft 2020-12) of the model language.")

    func run() throws {
        Terminal.out(SchemaEmitter.emit())
    }
}
