import Foundation
import Testing
@testable import AgentPath

@Suite("Example models")
struct ExampleModelTests {
    @Test(arguments: (try? Paths.exampleModels()) ?? [])
    func exampleModelValidates(_ path: String) throws {
        let outcome = load(path)
        #expect(outcome.errors.isEmpty, "\(outcome.listing)")
        let model = try #require(outcome.model, "\(outcome.listing)")
        // Warnings are allowed, but every one is located in the model file.
        for w in outcome.warnings {
            #expect(w.path == path && w.location.line >= 1, "\(w.text)")
        }
        #expect(model.model.elementCount > 0)
        #expect(model.model.agents.count > 0)
        // The system id names the output folder: it must be a valid id.
        #expect(ModelDecoder.isValidID(model.model.system.id), "\(model.model.system.id)")
    }

    @Test func exampleModelsExist() throws {
        #expect(try Paths.exampleModels().count >= 3)
    }

    @Test func exampleModelsPointEditorsAtTheCommittedSchema() throws {
        for path in try Paths.exampleModels() {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.contains("yaml-language-server: $schema=") }) else { continue }
            let relative = String(line.split(separator: "=", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
            let target = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(relative).standardizedFileURL.path
            #expect(FileManager.default.fileExists(atPath: target), "\(path) names a schema at \(relative) that does not exist")
        }
    }
}
