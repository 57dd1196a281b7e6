public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in the input, in the convention compilers use:
/// `models/x.yaml:12:7: error: unknown tool 'gh.read_isues' ... [E0203]`.
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation
    public var path: String?

    public init(_ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation, path: String?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.path = path
    }

    public var locationText: String {
        guard let path else { return "agentpath" }
        return location.line > 0 ? "\(path):\(location.line):\(location.column)" : path
    }

    public var text: String {
        "\(locationText): \(severity.rawValue): \(message) [\(code.rawValue)]"
    }
}

/// The one collector passed through every stage. Stages add to it; nobody removes.
public final class DiagnosticCollector {
    public private(set) var diagnostics: [Diagnostic] = []
    public var files = SourceFiles()
    /// Stop recording after this many, so a hostile file cannot flood memory or the terminal.
    public let limit: Int
    public private(set) var dropped = 0

    public init(limit: Int = 1000) { self.limit = limit }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errorCount: Int { diagnostics.count { $0.severity == .error } + droppedErrors }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    private var droppedErrors = 0

    public func emit(_ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation) {
        guard diagnostics.count < limit else {
            dropped += 1
            if severity == .error { droppedErrors += 1 }
            return
        }
        diagnostics.append(Diagnostic(severity, code, message, at: location, path: files.path(location)))
    }

    public func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation) {
        emit(.error, code, message, at: location)
    }

    public func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation) {
        emit(.warning, code, message, at: location)
    }

    /// Diagnostics in file order, then line and column: the order a reader fixes them in.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.path != y.path { return (x.path ?? "") < (y.path ?? "") }
            if x.location.line != y.location.line { return x.location.line < y.location.line }
            if x.location.column != y.location.column { return x.location.column < y.location.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
