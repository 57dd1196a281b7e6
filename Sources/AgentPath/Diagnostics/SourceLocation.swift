/// A position in a model file. Files are interned in a `SourceFiles` table so that the
/// millions of locations a large model carries stay small (12 bytes each).
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var file: Int32
    /// 1-based line.
    public var line: Int32
    /// 1-based column (in characters).
    public var column: Int32

    public init(file: Int32, line: Int32, column: Int32) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static let unknown = SourceLocation(file: -1, line: 0, column: 0)

    public var isKnown: Bool { file >= 0 }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// The files a model was read from, in the order they were read; `SourceLocation.file`
/// indexes into it.
public struct SourceFiles: Sendable, Hashable {
    public private(set) var paths: [String] = []

    public init() {}

    public mutating func intern(_ path: String) -> Int32 {
        if let i = paths.firstIndex(of: path) { return Int32(i) }
        paths.append(path)
        return Int32(paths.count - 1)
    }

    public func path(_ location: SourceLocation) -> String? {
        location.file >= 0 && Int(location.file) < paths.count ? paths[Int(location.file)] : nil
    }

    /// `file:line:col`, the form editors and terminals make clickable.
    public func describe(_ location: SourceLocation) -> String {
        guard let p = path(location) else { return "<unknown>" }
        return "\(p):\(location.line):\(location.column)"
    }
}
