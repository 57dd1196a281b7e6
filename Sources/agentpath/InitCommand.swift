import AgentPath
import ArgumentParser
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter model for a new system.")

    @Argument(help: "The file to create.")
    var file = "model.yaml"

    @Option(help: "The system's name.")
    var name = "My agent system"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: file), !force {
            Terminal.err("agentpath: error: \(file) exists; pass --force to overwrite it\n")
            throw ExitCode(2)
        }
        guard let templates = ResourceLocator.directory("templates"),
              let template = try? String(contentsOfFile: templates + "/init/model.yaml", encoding: .utf8) else {
            Terminal.err("agentpath: error: cannot find templates/init/model.yaml; set AGENTPATH_HOME to the agentpath folder\n")
            throw ExitCode(2)
        }
        let text = StarterModel.render(template: template, name: name, file: file)
        let url = URL(fileURLWithPath: file)
        try OutputWriter(root: url.deletingLastPathComponent().path).write(url.lastPathComponent, text)
        Terminal.out("wrote \(file); check it with: agentpath validate \(file)\n")
    }
}
