/// What a rule is, as data next to the function that finds it.
public struct RuleInfo: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case path, governance }
    public var id: String
    public var slug: String
    public var title: String
    public var rationale: String
    public var kind: Kind
    /// Governance rules have a fixed score; path rules score each path.
    public var defaultScore: Double?
    /// Control kinds that cut (path rules) or answer (governance rules) it.
    public var cutBy: [ControlKind]
}

/// One path a rule found, before grouping and scoring.
public struct PathCandidate: Sendable {
    public var entry: String
    public var impactKey: String
    public var impact: String
    public var summary: String
    public var steps: [PathStep]
    public var impactScore: Double
    public var impactReason: String
    public var exposure: Double
    public var exposureReason: String
    /// The autonomy factor of the agent taking the final action (`Impact.autonomy`); kept as
    /// a number so candidates do not carry whole agents around.
    public var actorAutonomy: Double
    public var location: SourceLocation

    public init(entry: String, impactKey: String, impact: String, summary: String, steps: [PathStep], impactScore: Double,
                impactReason: String, exposure: Double, exposureReason: String, actor: Agent?, location: SourceLocation) {
        self.entry = entry
        self.impactKey = impactKey
        self.impact = impact
        self.summary = summary
        self.steps = steps
        self.impactScore = impactScore
        self.impactReason = impactReason
        self.exposure = exposure
        self.exposureReason = exposureReason
        self.actorAutonomy = Impact.autonomy(actor)
        self.location = location
    }
}

/// Everything a rule may read.
public struct RuleInput {
    public let ctx: AnalysisContext
    public let evaluator: ControlEvaluator
    public let origins: [Origin]
    public let influences: [Influence]
    public let limits: AnalysisLimits
    /// Fresh for each rule.
    public let budget: VariantBudget
    /// agent id → indices into `influences` of those that reach it, in rank order.
    public let reachedBy: [String: [Int]]

    public init(ctx: AnalysisContext, evaluator: ControlEvaluator, origins: [Origin], influences: [Influence], limits: AnalysisLimits,
                budget: VariantBudget, reachedBy: [String: [Int]]? = nil) {
        self.ctx = ctx
        self.evaluator = evaluator
        self.origins = origins
        self.influences = influences
        self.limits = limits
        self.budget = budget
        self.reachedBy = reachedBy ?? Self.index(influences)
    }

    /// Which influences reach each agent, built once per analysis.
    public static func index(_ influences: [Influence]) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (k, inf) in influences.enumerated() { for a in inf.order { out[a, default: []].append(k) } }
        return out
    }

    /// Indices of the influences that reach an agent, in rank order.
    public func influencesReaching(_ agent: String) -> [Int] { reachedBy[agent] ?? [] }
}

public protocol Rule: Sendable {
    static var info: RuleInfo { get }
    func find(_ input: RuleInput) -> [PathCandidate]
}

/// Bounds that keep the search polynomial on large fan-out models.
public struct AnalysisLimits: Sendable, Hashable {
    /// Distinct paths counted per finding (over all its entries); the count says when it stopped.
    public var pathsPerGroup = 100
    /// Findings per rule; beyond it the rule stops and the result says so.
    public var findingsPerRule = 5_000
    /// Entry points named on a finding (the most exposed first); the others are counted.
    public var entriesListed = 10

    public init() {}
}

/// Impact scores (0–10) shared by the rules, documented in docs/analysis.md.
public enum Impact {
    public static func exfiltration(_ s: Sensitivity, allowed: Sensitivity) -> Double {
        let base: Double
        switch s {
        case .public: base = 0
        case .internal: base = 6
        case .confidential: base = 9
        case .restricted: base = 9.5
        case .secret: base = 10
        }
        return allowed == .public ? base : max(0, base - 2)
    }

    public static func effect(_ e: Effect, data: Sensitivity? = nil) -> Double {
        switch e {
        case .payment: return 9.5
        case .execute: return 9
        case .delete: return 8.5
        case .credentialIssue: return 8.5
        case .spawn: return 6
        case .write: return (data ?? .internal) >= .confidential ? 7.5 : 6.5
        case .egress: return 6
        case .read: return (data ?? .internal) >= .confidential ? 6 : 3
        }
    }

    public static func autonomy(_ a: Agent?) -> Double {
        // `approval` is a declaration; what an approval really stops is said by
        // human_approval controls (what they show, how long they last), so only a
        // supervised agent is less likely to act on a steer by itself.
        a?.autonomy == .supervised ? 0.7 : 1.0
    }
}

/// Counts variants per impact while a rule enumerates, so that it stops building paths for
/// an impact once its group is full (one extra marks it as capped), and remembers every entry
/// that reaches each impact, in the order seen, including those whose paths were not built.
public final class VariantBudget {
    let limit: Int
    let maxGroups: Int
    var counts: [String: Int] = [:]
    /// Entries with a built variant, and variants taken after the group was full, per impact.
    var built: [String: Set<String>] = [:]
    var late: [String: Int] = [:]
    /// Impacts turned away because the rule already has `findingsPerRule` groups: no work is
    /// spent on them, and the result counts them.
    public private(set) var refused = Set<String>()
    var reaching: [String: [String]] = [:]
    var seen: [String: Set<String>] = [:]

    public init(_ limits: AnalysisLimits) {
        limit = limits.pathsPerGroup
        maxGroups = limits.findingsPerRule
    }

    /// True while the impact's group still takes variants; notes the entry either way. A full
    /// group still takes the first variant of an entry it has none of (at most `limit` such),
    /// so that its status and cuts answer for every entry.
    public func take(_ entry: String, _ impactKey: String) -> Bool {
        guard admits(impactKey) else { return false }
        note(entry, impactKey)
        let n = counts[impactKey, default: 0]
        if n <= limit {
            counts[impactKey] = n + 1
            built[impactKey, default: []].insert(entry)
            return true
        }
        guard takesLate(entry, impactKey) else { return false }
        built[impactKey, default: []].insert(entry)
        late[impactKey, default: 0] += 1
        return true
    }

    /// Whether `take` would accept a variant for this impact (no side effect).
    public func wouldTake(_ entry: String, _ impactKey: String) -> Bool {
        guard let n = counts[impactKey] else { return counts.count < maxGroups }
        return n <= limit || takesLate(entry, impactKey)
    }

    func takesLate(_ entry: String, _ impactKey: String) -> Bool {
        late[impactKey, default: 0] < limit && !(built[impactKey]?.contains(entry) ?? false)
    }

    /// Notes an entry that reaches an impact when a rule skips building its path.
    public func recordDropped(_ entry: String, _ impactKey: String) {
        guard admits(impactKey) else { return }
        note(entry, impactKey)
    }

    /// False (and the impact counted as refused) once the rule has its fill of groups.
    func admits(_ impactKey: String) -> Bool {
        if counts[impactKey] != nil { return true }
        if counts.count < maxGroups { return true }
        refused.insert(impactKey)
        return false
    }

    /// Entries that reached the impact, in the order seen.
    public func entries(reaching impactKey: String) -> [String] { reaching[impactKey] ?? [] }

    func note(_ entry: String, _ impactKey: String) {
        if seen[impactKey, default: []].insert(entry).inserted { reaching[impactKey, default: []].append(entry) }
    }
}
