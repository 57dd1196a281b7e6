import Foundation

/// Finds the folders agentpath ships beside its code (`frameworks/`, `templates/`).
/// Order: `$AGENTPATH_HOME`, then each folder up from the executable, then up from the
/// working directory. A source checkout therefore works from any build folder.
public enum ResourceLocator {
    public static func directory(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var starts: [String] = []
        if let home = environment["AGENTPATH_HOME"] { starts.append(home) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent().path
        starts.append(exe)
        starts.append(FileManager.default.currentDirectoryPath)
        for start in starts {
            var dir = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(name).path
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), isDir.boolValue,
                   FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) || environment["AGENTPATH_HOME"] == start {
                    return candidate
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }
}
