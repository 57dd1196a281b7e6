import AgentPath
import ArgumentParser
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The CI gate: analyze a model and fail on open attack paths.",
        discussion: """
        Exit 0 the gate passes, 1 the gate fails, 2 the model, the options, agentpath.yaml, the waivers or the baseline are invalid.
        The gate fails on an open path at or above --fail-on (or gate.fail_on in agentpath.yaml beside the model; default high) \
        that is neither waived nor in the baseline, and on any expired waiver. See docs/ci.md.
        """
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(help: "text or json.")
    var format: CheckOptions.Format = .text

    @OptionGroup(title: "Gate")
    var gate: GateArguments

    @Option(help: "Also write SARIF 2.1.0 to this file.")
    var sarif: String?

    @Option(help: "Also write JUnit XML to this file.")
    var junit: String?

    @Option(help: "Fail only on findings not in this findings JSON (from analyze --format json, build, or check --format json).")
    var baseline: String?

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func run() throws {
        var options = CheckOptions(model: model, today: gate.day)
        options.failOn = gate.failOn
        options.format = format
        options.sarif = sarif
        options.junit = junit
        options.waivers = gate.waivers
        options.baseline = baseline
        options.config = gate.config
        options.noConfig = gate.noConfig
        options.color = Terminal.useColor(1)
        options.toolVersion = AgentPathCommand.configuration.version
        let frameworks = try FrameworkSupport.load(extra: extraFrameworks, diagnostics: DiagnosticCollector())
        let outcome = CheckRun.run(options, frameworks: frameworks)
        Terminal.err(outcome.stderr)
        Terminal.out(bytes: outcome.stdoutBytes)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

extension CheckOptions.Format: ExpressibleByArgument {}
extension DiffOptions.Format: ExpressibleByArgument {}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Attack paths opened, closed and changed in severity between two versions of a model.",
        discussion: """
        BASE and HEAD are model files or folders, or findings JSON files. With --base-ref REV, the base is HEAD as it was \
        at git revision REV (HEAD is then the only argument). --format markdown prints a pull-request comment. \
        Exit 0 with the diff, 2 when an input is invalid.
        """
    )

    @Argument(help: "BASE and HEAD, or only HEAD with --base-ref.")
    var models: [String]

    @Option(name: .customLong("base-ref"), help: "A git revision; the base is HEAD's model at that revision.")
    var baseRef: String?

    @Option(help: "text, json or markdown.")
    var format: DiffOptions.Format = .text

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func validate() throws {
        if baseRef == nil && models.count != 2 { throw ValidationError("give BASE and HEAD, or --base-ref REV and HEAD") }
        if baseRef != nil && models.count != 1 { throw ValidationError("with --base-ref, give only HEAD") }
    }

    func run() throws {
        let options = DiffOptions(base: baseRef == nil ? models[0] : nil, head: models.last!, baseRef: baseRef, format: format)
        let frameworks = try FrameworkSupport.load(extra: extraFrameworks, diagnostics: DiagnosticCollector())
        let outcome = DiffRun.run(options, frameworks: frameworks)
        Terminal.err(outcome.stderr)
        Terminal.out(outcome.stdout)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
