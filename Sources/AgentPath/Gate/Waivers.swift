import Foundation

/// A day in the proleptic Gregorian calendar, written `YYYY-MM-DD`. Waivers expire on one;
/// the gate compares it with an injected `today`, never reading the clock itself.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.days(year, month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Strictly `YYYY-MM-DD` with a real month and day (2026-02-29 is not a date).
    public static func parse(_ text: String) -> CalendarDate? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard (48...57).contains(u[i]) else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// The UTC day of an instant (CI runners disagree about local time zones).
    public static func utc(_ instant: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    static func days(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 0000-03-01, for differences between dates.
    var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 9 : month - 3
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: CalendarDate) -> Int { other.ordinal - ordinal }

    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// One accepted finding: who accepts it, why, against which framework item, and until when.
/// Waivers live in a YAML file reviewed in pull requests (docs/ci.md#waivers).
public struct Waiver: Sendable, Hashable {
    public var fingerprint: String
    public var owner: String
    public var justification: String
    /// The framework item as written (`ASI01`, `OWASP-LLM:LLM02:2025`).
    public var framework: String
    /// The item it resolved to, when catalogs were given to the loader.
    public var frameworkRef: FrameworkRef?
    /// The last day the waiver holds; from the next day on it has expired.
    public var expires: CalendarDate
    /// The rule the finding belongs to, when the waiver says (a cross-check).
    public var rule: String?
    public var location: SourceLocation
    public var fingerprintLocation: SourceLocation
    public var expiresLocation: SourceLocation
    public var frameworkLocation: SourceLocation
    public var ruleLocation: SourceLocation?

    public func isExpired(on today: CalendarDate) -> Bool { today > expires }
}

/// A loaded waivers file.
public struct WaiverSet: Sendable {
    public var path: String
    public var waivers: [Waiver]
    /// The file table the waivers' locations point into.
    public var files: SourceFiles

    public init(path: String, waivers: [Waiver], files: SourceFiles) {
        self.path = path
        self.waivers = waivers
        self.files = files
    }

    public func waiver(for fingerprint: String) -> Waiver? { waivers.first { $0.fingerprint == fingerprint } }
}

/// Reads a waivers file with the same strictness as a model: unknown keys with a
/// did-you-mean, missing keys, wrong types, invalid dates and framework items, all located.
public struct WaiverLoader {
    /// Catalogs to resolve `framework:` against; nil skips the check.
    public var frameworks: FrameworkSet?

    public init(frameworks: FrameworkSet?) { self.frameworks = frameworks }

    static let fileSpec = ObjectSpec(name: "waivers file", doc: "A list of accepted findings.", fields: [
        FieldSpec("version", .string, "The waivers format version; 1."),
        FieldSpec("waivers", .objects(waiverSpec), required: true, "The waivers."),
    ])

    static let waiverSpec = ObjectSpec(name: "waiver", doc: "One accepted finding.", fields: [
        FieldSpec("fingerprint", .string, required: true, "The finding's fingerprint (16 hex digits), as printed by check and analyze."),
        FieldSpec("owner", .string, required: true, "Who accepts the risk."),
        FieldSpec("justification", .string, required: true, "Why the risk is accepted."),
        FieldSpec("framework", .string, required: true, "The framework item the finding concerns (ASI01, LLM02:2025, …)."),
        FieldSpec("expires", .string, required: true, "The last day the waiver holds, YYYY-MM-DD."),
        FieldSpec("rule", .string, "The finding's rule (AP001, …), as a cross-check."),
    ])

    /// Nil when the file is missing or has errors (they are in `diagnostics`).
    public func load(path: String, diagnostics: DiagnosticCollector) -> WaiverSet? {
        let file = diagnostics.files.intern(path)
        let top = SourceLocation(file: file, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.error(.fileUnreadable, "cannot read the waivers file", at: SourceLocation(file: file, line: 0, column: 0))
            return nil
        }
        let errorsBefore = diagnostics.errorCount
        guard let root = YAMLReader().read(bytes: [UInt8](data), file: file, diagnostics: diagnostics) else {
            if diagnostics.errorCount == errorsBefore {
                diagnostics.error(.emptyModel, "the waivers file is empty; write `waivers: []` for none", at: top)
            }
            return nil
        }
        var waivers: [Waiver] = []
        if let reader = MapReader(root, spec: Self.fileSpec, subject: "the waivers file", diagnostics: diagnostics) {
            if let v = reader.value("version"), v.scalar?.text != "1" {
                diagnostics.error(.badVersion, "unsupported waivers file version '\(v.scalar?.text ?? v.kindDescription)'; this tool reads version 1", at: v.location)
            }
            var seen: [String: SourceLocation] = [:]
            for (i, node) in reader.objects("waivers").enumerated() {
                guard let w = waiver(node, index: i + 1, diagnostics: diagnostics) else { continue }
                if let first = seen[w.fingerprint] {
                    diagnostics.error(.duplicateWaiver, "a second waiver for \(w.fingerprint); the first is at line \(first.line); keep one", at: w.fingerprintLocation)
                    continue
                }
                seen[w.fingerprint] = w.fingerprintLocation
                waivers.append(w)
            }
        }
        guard diagnostics.errorCount == errorsBefore else { return nil }
        return WaiverSet(path: path, waivers: waivers, files: diagnostics.files)
    }

    func waiver(_ node: YAMLNode, index: Int, diagnostics: DiagnosticCollector) -> Waiver? {
        let subject = "waiver \(index)"
        guard let r = MapReader(node, spec: Self.waiverSpec, subject: subject, diagnostics: diagnostics) else { return nil }
        let errorsBefore = diagnostics.errorCount
        let fingerprint = r.string("fingerprint")
        if let fp = fingerprint, !Self.isFingerprint(fp) {
            diagnostics.error(.badFingerprint, "'\(fp)' in \(subject) is not a fingerprint; a fingerprint is 16 lower-case hex digits, as printed by `agentpath check`", at: r.location("fingerprint")!)
        }
        let owner = r.string("owner")
        let justification = r.string("justification")
        for (key, value) in [("owner", owner), ("justification", justification)] {
            if let value, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                diagnostics.error(.wrongType, "'\(key)' in \(subject) must not be empty", at: r.location(key)!)
            }
        }
        var expires: CalendarDate?
        if let text = r.string("expires") {
            expires = CalendarDate.parse(text)
            if expires == nil {
                diagnostics.error(.badDate, "invalid date '\(text)' for 'expires' in \(subject); write YYYY-MM-DD, a real day (2026-12-31)", at: r.location("expires")!)
            }
        }
        let framework = r.string("framework")
        var ref: FrameworkRef?
        if let framework, let frameworks {
            switch frameworks.lookup(framework) {
            case .found(let found, _): ref = found
            case .ambiguous(let refs):
                let options = refs.map { "\(frameworks.catalog(of: $0)?.prefix ?? $0.catalog):\($0.id)" }
                diagnostics.error(.unknownWaiverFramework, "framework item '\(framework)' in \(subject) is in several catalogs; qualify it: \(options.joined(separator: ", "))", at: r.location("framework")!)
            case .notFound(let suggestion):
                diagnostics.error(.unknownWaiverFramework, "'\(framework)' in \(subject) is not an item of any loaded catalog\(suggestion.map { "; did you mean '\($0)'?" } ?? "")", at: r.location("framework")!)
            }
        }
        let rule = r.string("rule")
        if let rule, !RuleRegistry.ids.contains(rule) {
            diagnostics.error(.invalidEnum, "invalid value '\(rule)' for 'rule' in \(subject); expected a rule id (AP001-AP010, GV001-GV009)\(Suggest.hint(rule, in: RuleRegistry.ids.sorted()))", at: r.location("rule")!)
        }
        guard diagnostics.errorCount == errorsBefore, let fingerprint, let owner, let justification, let framework, let expires else { return nil }
        return Waiver(fingerprint: fingerprint, owner: owner, justification: justification, framework: framework, frameworkRef: ref,
                      expires: expires, rule: rule, location: node.location, fingerprintLocation: r.location("fingerprint")!,
                      expiresLocation: r.location("expires")!, frameworkLocation: r.location("framework")!,
                      ruleLocation: r.location("rule"))
    }

    static func isFingerprint(_ s: String) -> Bool {
        s.utf8.count == 16 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
