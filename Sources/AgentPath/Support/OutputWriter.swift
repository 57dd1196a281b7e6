import Foundation

public struct OutputError: Error, CustomStringConvertible {
    public var description: String
}

/// Writes a set of output files into one folder, all or nothing: every file is first
/// written to a temporary name beside its target, then all are renamed into place, so a
/// failed run leaves the previous outputs intact and no half-written file. Paths that
/// would leave the folder are refused.
public struct OutputWriter {
    public let root: String

    public init(root: String) { self.root = root }

    public func write(_ files: [(path: String, bytes: [UInt8])]) throws {
        let fm = FileManager.default
        var staged: [(temp: String, final: String)] = []
        do {
            for file in files {
                let target = try resolve(file.path)
                let dir = (target as NSString).deletingLastPathComponent
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let temp = dir + "/.\((target as NSString).lastPathComponent).tmp-\(getpid())"
                guard fm.createFile(atPath: temp, contents: Data(file.bytes)) else {
                    throw OutputError(description: "cannot write \(temp)")
                }
                staged.append((temp, target))
            }
        } catch {
            for s in staged { try? fm.removeItem(atPath: s.temp) }
            throw error
        }
        // A folder where a file should go is never moved or replaced: refuse before any change.
        for s in staged {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: s.final, isDirectory: &isDir), isDir.boolValue {
                for t in staged { try? fm.removeItem(atPath: t.temp) }
                throw OutputError(description: "cannot write \(s.final): a folder is in the way")
            }
        }
        // Move the old files aside first, so that a failed rename can put everything back.
        var done: [(final: String, backup: String?)] = []
        func rollBack() {
            for d in done.reversed() {
                if let b = d.backup { _ = rename(b, d.final) } else { try? fm.removeItem(atPath: d.final) }
            }
            for s in staged { try? fm.removeItem(atPath: s.temp) }
        }
        for s in staged {
            var backup: String?
            if fm.fileExists(atPath: s.final) {
                let b = s.final + ".bak-\(getpid())"
                guard rename(s.final, b) == 0 else {
                    let reason = String(cString: strerror(errno))
                    rollBack()
                    throw OutputError(description: "cannot move aside \(s.final): \(reason)")
                }
                backup = b
            }
            guard rename(s.temp, s.final) == 0 else {
                let reason = String(cString: strerror(errno))
                if let backup { _ = rename(backup, s.final) }
                rollBack()
                throw OutputError(description: "cannot move \(s.temp) to \(s.final): \(reason)")
            }
            done.append((s.final, backup))
        }
        for d in done { if let b = d.backup { try? fm.removeItem(atPath: b) } }
    }

    public func write(_ path: String, _ text: String) throws {
        try write([(path, Array(text.utf8))])
    }

    /// The absolute-free, dot-dot-free target of a relative output path.
    func resolve(_ relative: String) throws -> String {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw OutputError(description: "refusing to write '\(relative)': outputs stay inside \(root)")
        }
        return (root.hasSuffix("/") ? root : root + "/") + parts.joined(separator: "/")
    }
}
