import AgentPath
import ArgumentParser
import Foundation

extension PolicyTarget: ExpressibleByArgument {}

struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write runtime policy skeletons (Cedar, Rego), their tests and a credential plan.",
        discussion: """
        Writes into out/<system id>/policies/ unless --out names a folder: cedar/ (schema, policies, \
        entities, requests), rego/ (policy and tests), vectors.json and credential-plan.json. \
        Outputs are written all or nothing. See docs/policies.md.
        """
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(help: "cedar, rego or all.")
    var target: PolicyTarget = .all

    @Option(help: "Output folder (default: out/<system id>/policies).")
    var out: String?

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func run() throws {
        let (validated, analysis, _) = try ModelRun.analyze(model, extra: extraFrameworks)
        let folder = out ?? "out/\(validated.model.system.id)/policies"
        let files: [(path: String, bytes: [UInt8])]
        do {
            files = PolicyEmitter.files(for: validated, analysis: analysis, templates: try PolicyTemplates.builtin(), target: target)
            try OutputWriter(root: folder).write(files)
        } catch {
            Terminal.err("agentpath: error: \(error)\n")
            throw ExitCode(2)
        }
        for f in files { Terminal.out("wrote \(folder)/\(f.path) (\(f.bytes.count) bytes)\n") }
    }
}
