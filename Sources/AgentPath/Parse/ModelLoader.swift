import Foundation

/// Reads a model from a file or a directory, following `include:`, and merges the parts.
/// Every problem becomes a located diagnostic; the result is nil only when nothing usable
/// could be read (a missing file, no `system`, a YAML syntax error).
public struct ModelLoader {
    public var limits: YAMLLimits
    public var maxFiles = 10_000

    public init(limits: YAMLLimits = YAMLLimits()) { self.limits = limits }

    public func load(path: String, diagnostics: DiagnosticCollector) -> Model? {
        var state = LoadState(diagnostics: diagnostics, reader: YAMLReader(limits: limits))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let file = diagnostics.files.intern(path)
            diagnostics.error(.fileUnreadable, "no such file or directory", at: SourceLocation(file: file, line: 0, column: 0))
            return nil
        }
        if isDirectory.boolValue {
            // nil: too many files, already reported.
            guard let files = yamlFiles(in: path, diagnostics: diagnostics) else { return nil }
            if files.isEmpty {
                let file = diagnostics.files.intern(path)
                diagnostics.error(.emptyModel, "the directory holds no .yaml or .yml file", at: SourceLocation(file: file, line: 0, column: 0))
                return nil
            }
            for f in files { state.loadFile(Self.normalize(f), chain: []) }
        } else {
            state.loadFile(Self.normalize(path), chain: [])
        }
        return state.merge()
    }

    /// Model files under a directory, sorted, skipping hidden entries; nil (after reporting
    /// it) when there are more than `maxFiles`.
    func yamlFiles(in directory: String, diagnostics: DiagnosticCollector) -> [String]? {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let entry = walker.nextObject() as? String {
            let name = (entry as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            if Self.isProjectFile(name) { continue }
            files.append(directory.hasSuffix("/") ? directory + entry : directory + "/" + entry)
            if files.count > maxFiles {
                let file = diagnostics.files.intern(directory)
                diagnostics.error(.tooManyFiles, "the directory holds more than \(maxFiles) model files", at: SourceLocation(file: file, line: 0, column: 0))
                return nil
            }
        }
        return files.sorted()
    }

    /// Files beside the models that are not model parts: `agentpath.yaml` (project config) and
    /// waivers files (`waivers.yaml`, `*.waivers.yaml`, and the `.yml` forms).
    public static func isProjectFile(_ name: String) -> Bool {
        let base = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name.hasSuffix(".yml") ? String(name.dropLast(4)) : name
        return base == "agentpath" || base == "waivers" || base.hasSuffix(".waivers")
    }

    /// `a/./b/../c.yaml` → `a/c.yaml`, keeping the path relative when it was.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(component)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

private struct LoadState {
    let diagnostics: DiagnosticCollector
    let reader: YAMLReader
    var loaded = Set<String>()
    var parts: [(path: String, part: ModelPart, root: SourceLocation)] = []

    init(diagnostics: DiagnosticCollector, reader: YAMLReader) {
        self.diagnostics = diagnostics
        self.reader = reader
    }

    mutating func loadFile(_ path: String, chain: [String], from include: Ref? = nil) {
        if chain.contains(path) {
            let cycle = (chain.drop { $0 != path } + [path]).joined(separator: " → ")
            diagnostics.error(.includeCycle, "include cycle: \(cycle)", at: include?.location ?? .unknown)
            return
        }
        guard loaded.insert(path).inserted else { return }
        let file = diagnostics.files.intern(path)
        let top = SourceLocation(file: file, line: 1, column: 1)
        // Refuse an oversized file before reading it, so it never sits in memory.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(reader.limits.maxFileBytes) {
            diagnostics.error(.fileTooLarge, "file is \(size.int64Value) bytes; the limit is \(reader.limits.maxFileBytes)", at: top)
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if let include {
                diagnostics.error(.fileUnreadable, "included file '\(include.id)' cannot be read (missing or not a file)", at: include.location)
            } else {
                diagnostics.error(.fileUnreadable, "cannot read the file", at: SourceLocation(file: file, line: 0, column: 0))
            }
            return
        }
        let errorsBefore = diagnostics.errorCount
        guard let root = reader.read(bytes: [UInt8](data), file: file, diagnostics: diagnostics) else {
            // No document and no error from the reader: the file is empty (or only comments).
            // Compare counts, not `hasErrors`: an earlier file's errors must not hide this one.
            if diagnostics.errorCount == errorsBefore {
                diagnostics.error(.emptyModel, "the file is empty; a model file is a mapping with `version`, `system` and element lists", at: top)
            }
            return
        }
        if let s = root.scalar, s.resolved == .null {
            diagnostics.error(.emptyModel, "the file is empty; a model file is a mapping with `version`, `system` and element lists", at: top)
            return
        }
        let part = ModelDecoder(diagnostics: diagnostics).decodeFile(root)
        // A top that is not a mapping is already reported (E0102) and contributes nothing;
        // keeping it would add a second, misleading "no `system` section" error.
        guard root.mapping != nil else { return }
        parts.append((path, part, top))
        let directory = (path as NSString).deletingLastPathComponent
        for include in part.includes {
            guard !include.id.hasPrefix("/"), include.id.hasSuffix(".yaml") || include.id.hasSuffix(".yml") else {
                diagnostics.error(.includeOutside, "include '\(include.id)' must be a relative path to a .yaml or .yml file", at: include.location)
                continue
            }
            let target = ModelLoader.normalize(directory.isEmpty ? include.id : directory + "/" + include.id)
            loadFile(target, chain: chain + [path], from: include)
        }
    }

    func merge() -> Model? {
        let withSystem = parts.filter { $0.part.system != nil }
        guard let first = withSystem.first, let system = first.part.system else {
            if !parts.isEmpty {
                diagnostics.error(.systemSection, "the model has no `system` section; add `system: { name: ... }` to its main file", at: parts[0].root)
            }
            return nil
        }
        for extra in withSystem.dropFirst() {
            diagnostics.error(.systemSection, "a second `system` section; the first is at \(diagnostics.files.describe(system.location))", at: extra.part.system!.location)
        }
        if !first.part.hasVersionKey {
            diagnostics.error(.badVersion, "missing `version: 1` in the file that holds `system`", at: first.root)
        }
        var model = Model(system: system, files: diagnostics.files)
        for (_, part, _) in parts {
            model.zones += part.zones
            model.humans += part.humans
            model.agents += part.agents
            model.tools += part.tools
            model.mcpServers += part.mcpServers
            model.credentials += part.credentials
            model.data += part.data
            model.launchers += part.launchers
            model.controls += part.controls
        }
        return model
    }
}
