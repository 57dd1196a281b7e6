/// How bad a finding is. Bands follow the CVSS-like score: critical ≥ 9, high ≥ 7, medium ≥ 4.
public enum FindingSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case critical, high, medium, low, info

    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank > b.rank }

    public static func from(score: Double) -> FindingSeverity {
        switch score {
        case 9...: .critical
        case 7..<9: .high
        case 4..<7: .medium
        case 0.1..<4: .low
        default: .info
        }
    }
}

/// Whether enforced controls close a path.
public enum PathStatus: String, Sendable, Hashable {
    /// No enforced control blocks any step.
    case open
    /// Open, but likelihood-reducing controls apply.
    case reduced
    /// An enforced control blocks at least one step.
    case mitigated
}

/// What a step does, in the attacker's terms. Each maps to ATLAS techniques and a MAESTRO
/// layer through the crosswalk's `steps:`.
public enum StepTechnique: String, Sendable, Hashable, CaseIterable {
    case ingestUntrusted = "ingest-untrusted"
    case directPrompt = "direct-prompt"
    case toolDescription = "tool-description"
    case launcherSetting = "launcher-setting"
    case delegate
    case `return`
    case readSensitive = "read-sensitive"
    case egress
    case publicWrite = "public-write"
    case renderFetch = "render-fetch"
    case invokeConsequential = "invoke-consequential"
    case memoryWrite = "memory-write"
    case memoryRead = "memory-read"
    case credentialExposure = "credential-exposure"
    case credentialUse = "credential-use"
    case credentialInherit = "credential-inherit"
    case forgeMessage = "forge-message"
    case bypassApproval = "bypass-approval"
    case autonomousAction = "autonomous-action"
    case serverInternal = "server-internal"
    case onBehalf = "on-behalf-of"
}

/// A control's bearing on one step.
public struct ControlEffect: Sendable, Hashable {
    public enum Strength: String, Sendable, Hashable { case blocks, reduces, bypassed }
    public var control: String
    public var kind: ControlKind
    public var strength: Strength
    /// Why it blocks, only reduces, or cannot act here.
    public var reason: String
}

/// One hop of an attack path: an element, what happens there, and where the model says so.
public struct PathStep: Sendable, Hashable {
    public var element: String
    public var kind: ElementKind
    public var technique: StepTechnique
    /// The tool, data or credential the step goes through, when there is one.
    public var via: String?
    public var text: String
    public var location: SourceLocation
    /// The tool effect the step exercises, when it has one.
    public var effect: Effect?
    public var controls: [ControlEffect] = []

    public init(_ element: String, _ kind: ElementKind, _ technique: StepTechnique, via: String? = nil, _ text: String, at location: SourceLocation) {
        self.element = element
        self.kind = kind
        self.technique = technique
        self.via = via
        self.text = text
        self.location = location
    }

    public var blockedBy: [ControlEffect] { controls.filter { $0.strength == .blocks } }
    public var reducedBy: [ControlEffect] { controls.filter { $0.strength == .reduces } }
}

/// A proposed control that would close a path: a control kind applied to one element at one step.
public struct CutOption: Sendable, Hashable, Comparable {
    public var kind: ControlKind
    public var target: String
    public var effect: Effect?
    public var stepIndex: Int
    public var text: String

    /// Identity for combining cuts across findings (step position does not matter).
    public var key: String { identity.text }

    /// The same identity without building a string, for hashing in hot loops.
    public struct Key: Hashable, Sendable {
        public var kind: ControlKind
        public var target: String
        public var effect: Effect?
        public var text: String { "\(kind.rawValue)|\(target)|\(effect?.rawValue ?? "")" }
    }

    public var identity: Key { Key(kind: kind, target: target, effect: effect) }

    public static func < (a: CutOption, b: CutOption) -> Bool { a.key < b.key }
}

/// The factors behind a score, shown per finding.
public struct ScoreFactors: Sendable, Hashable {
    public var impact: Double
    public var impactReason: String
    public var exposure: Double
    public var exposureReason: String
    public var autonomy: Double
    public var hops: Double
    public var reduction: Double
    public var score: Double {
        (impact * exposure * autonomy * hops * reduction * 10).rounded() / 10
    }
}

/// A finding: one rule's result for one impact (path rules: every entry point that reaches it;
/// governance rules: one element), with a representative path.
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var title: String
    /// Stable id from the rule and the ids that define the group, never line numbers.
    public var fingerprint: String
    /// The representative path's entry point: the most exposed entry with an open path.
    public var entry: String
    /// Entry points that reach the impact, `entry` first, then by exposure; at most
    /// `AnalysisLimits.entriesListed`.
    public var entries: [String]
    public var impact: String
    public var summary: String
    public var steps: [PathStep]
    /// How many distinct paths (over all entries) share this group, up to the limit.
    public var pathCount: Int
    public var pathCountCapped: Bool
    public var status: PathStatus
    public var severity: FindingSeverity
    public var factors: ScoreFactors
    public var cuts: [CutOption]
    public var frameworks: [FrameworkRef]
    /// The element the finding is reported at (SARIF's primary location).
    public var location: SourceLocation
    public var isPath: Bool
    /// Further entry points that reach the same impact, beyond those listed in `entries`.
    public var otherEntries: Int
    /// True when no single control closes every open path of the group, so `cuts` lists
    /// controls that close them only together.
    public var cutsTogether: Bool = false

    public var mitigatingControls: [String] {
        var seen = Set<String>()
        return steps.flatMap(\.blockedBy).map(\.control).filter { seen.insert($0).inserted }
    }

    public var reducingControls: [String] {
        var seen = Set<String>()
        return steps.flatMap(\.reducedBy).map(\.control).filter { seen.insert($0).inserted }
    }
}

/// Stable 64-bit FNV-1a, rendered as 16 hex digits: the same on every platform and run.
public enum Fingerprint {
    public static func of(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, part) in parts.enumerated() {
            if i > 0 { h = (h ^ 0x1f) &* 0x0000_0100_0000_01b3 }
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
