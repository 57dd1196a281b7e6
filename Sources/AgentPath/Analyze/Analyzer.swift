/// A cut that closes many open paths at once (greedy set cover over open findings).
public struct RecommendedCut: Sendable, Hashable {
    public var cut: CutOption
    public var closes: [String]
    public var closesBySeverity: [FindingSeverity: Int]
    public var text: String
}

public struct AnalysisResult: Sendable {
    public var system: SystemInfo
    public var findings: [Finding]
    public var recommendedCuts: [RecommendedCut]
    public var origins: [Origin]
    public var limits: AnalysisLimits
    /// Rules that stopped at a limit, with how many candidates they had.
    public var truncated: [String: Int]

    public var paths: [Finding] { findings.filter(\.isPath) }
    public var governance: [Finding] { findings.filter { !$0.isPath } }
}

/// The analysis stage: runs every rule over the model, groups paths by (rule, entry, impact),
/// applies controls, scores, maps to frameworks and proposes cuts.
public struct Analyzer: Sendable {
    public var frameworks: FrameworkSet
    public var limits: AnalysisLimits
    public var rules: [any Rule]

    public init(frameworks: FrameworkSet, limits: AnalysisLimits = AnalysisLimits(), rules: [any Rule] = RuleRegistry.all) {
        self.frameworks = frameworks
        self.limits = limits
        self.rules = rules
    }

    public func analyze(_ model: ValidatedModel) -> AnalysisResult {
        let ctx = AnalysisContext(model)
        let evaluator = ControlEvaluator(ctx)
        let origins = ctx.origins(evaluator: evaluator)
        var hopSteps: [String: PathStep] = [:]
        // Most exposed entries first: when an impact has more entries than the limit, the
        // ones kept as findings are the worst.
        let ranked = origins.enumerated().sorted { ($0.element.exposure, -$0.offset) > ($1.element.exposure, -$1.offset) }.map(\.element)
        let originsByID = Dictionary(origins.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let reach = ReachCache()
        let influences = ranked.map { Influence(origin: $0, ctx: ctx, evaluator: evaluator, hopSteps: &hopSteps) }
        var findings: [Finding] = []
        var truncated: [String: Int] = [:]
        for rule in rules {
            var dropped = Set<String>()
            let info = type(of: rule).info
            let input = RuleInput(ctx: ctx, evaluator: evaluator, origins: origins, influences: influences, limits: limits, budget: VariantBudget(limits))
            let candidates = rule.find(input)
            var groups: [String: [PathCandidate]] = [:]
            var order: [String] = []
            for c in candidates {
                let key = c.entry + "\u{1F}" + c.impactKey
                if groups[key] == nil {
                    if order.count >= limits.findingsPerRule {
                        if dropped.insert(key).inserted { truncated[info.id, default: 0] += 1 }
                        continue
                    }
                    order.append(key)
                }
                groups[key, default: []].append(c)
            }
            for key in order {
                var f = finding(info, groups[key]!, ctx, originsByID, reach)
                f.otherEntries = input.budget.droppedEntries[groups[key]![0].impactKey]?.count ?? 0
                findings.append(f)
            }
        }
        findings.sort(by: Self.reportOrder)
        return AnalysisResult(system: model.model.system, findings: findings, recommendedCuts: Self.recommend(findings),
                              origins: origins, limits: limits, truncated: truncated)
    }

    static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        func statusRank(_ s: PathStatus) -> Int { s == .open ? 0 : s == .reduced ? 1 : 2 }
        if a.isPath != b.isPath { return a.isPath }
        if statusRank(a.status) != statusRank(b.status) { return statusRank(a.status) < statusRank(b.status) }
        if a.factors.score != b.factors.score { return a.factors.score > b.factors.score }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.fingerprint < b.fingerprint
    }

    func finding(_ info: RuleInfo, _ variants: [PathCandidate], _ ctx: AnalysisContext, _ origins: [String: Origin], _ reach: ReachCache) -> Finding {
        let capped = variants.count > limits.pathsPerGroup
        let considered = Array(variants.prefix(limits.pathsPerGroup))
        let isOpen: (PathCandidate) -> Bool = { $0.steps.allSatisfy { $0.blockedBy.isEmpty } }
        let open = considered.filter(isOpen)
        let pool = open.isEmpty ? considered : open
        // Representative: shortest, then most severe, then first found (stable).
        let rep = pool.enumerated().min { x, y in
            if x.element.steps.count != y.element.steps.count { return x.element.steps.count < y.element.steps.count }
            if x.element.impactScore != y.element.impactScore { return x.element.impactScore > y.element.impactScore }
            return x.offset < y.offset
        }!.element
        let reducers = Set(rep.steps.flatMap(\.reducedBy).map(\.control))
        let hops = rep.steps.filter { [.delegate, .return, .memoryRead].contains($0.technique) }.count
        let factors = ScoreFactors(
            impact: rep.impactScore, impactReason: rep.impactReason,
            exposure: rep.exposure, exposureReason: rep.exposureReason,
            autonomy: info.kind == .path ? Impact.autonomy(rep.actor) : 1,
            hops: max(0.7, 1 - 0.05 * Double(hops)),
            reduction: pow075(min(2, reducers.count)))
        let status: PathStatus = open.isEmpty ? .mitigated : (reducers.isEmpty ? .open : .reduced)
        // A cut for the group must close every open variant.
        var cuts: [CutOption] = []
        if !open.isEmpty, info.kind == .path {
            var keys = Set(Self.cutOptions(rep.steps, ctx).map(\.key))
            for v in open where !keys.isEmpty { keys.formIntersection(Self.cutOptions(v.steps, ctx, withText: false).map(\.key)) }
            var seenCut = Set<String>()
            cuts = Self.cutOptions(rep.steps, ctx).filter { keys.contains($0.key) && seenCut.insert($0.key).inserted }
            // The path shows one route of influence; a quarantine on an agent along it only
            // closes the finding if no other route reaches the agents acting after it.
            if let origin = origins[rep.entry] {
                cuts = cuts.filter { cut in
                    guard cut.kind == .quarantine, ctx.agent(cut.target) != nil else { return true }
                    let later = Set(rep.steps[(cut.stepIndex + 1)...].filter { $0.kind == .agent }.map(\.element))
                    let reached = reach.reached(origin, avoiding: cut.target, ctx)
                    return !later.subtracting([cut.target]).contains { ctx.position(of: $0).map { reached[$0] } ?? false }
                }
            }
        }
        var refs = frameworks.crosswalk.refs(rule: info.id)
        for s in rep.steps { refs += frameworks.crosswalk.refs(step: s.technique.rawValue) }
        var seen = Set<FrameworkRef>()
        refs = refs.filter { seen.insert($0).inserted }
        return Finding(rule: info.id, title: info.title, fingerprint: Fingerprint.of([info.id, rep.entry, rep.impactKey]),
                       entry: rep.entry, impact: rep.impact, summary: rep.summary, steps: rep.steps,
                       pathCount: considered.count, pathCountCapped: capped, status: status,
                       severity: FindingSeverity.from(score: factors.score), factors: factors, cuts: cuts,
                       frameworks: refs, location: rep.location, isPath: info.kind == .path, otherEntries: 0)
    }

    /// Agents (by position) an origin's influence reaches when `avoided` is quarantined;
    /// computed once per (origin, avoided agent) and shared by every finding that asks.
    final class ReachCache {
        var sets: [String: [Bool]] = [:]

        func reached(_ origin: Origin, avoiding avoided: String, _ ctx: AnalysisContext) -> [Bool] {
            let key = origin.id + "\u{1F}" + avoided
            if let s = sets[key] { return s }
            var seen = [Bool](repeating: false, count: ctx.agents.count)
            if let a = ctx.position(of: avoided) { seen[a] = true }
            var queue = origin.firstHops.compactMap { ctx.position(of: $0.agent.id) }
            var reached = [Bool](repeating: false, count: ctx.agents.count)
            var head = 0
            while head < queue.count {
                let a = queue[head]
                head += 1
                guard !seen[a] else { continue }
                seen[a] = true
                reached[a] = true
                for n in ctx.flowNext[a] where !seen[n] { queue.append(n) }
            }
            sets[key] = reached
            return reached
        }
    }

    func pow075(_ n: Int) -> Double { n == 0 ? 1 : (n == 1 ? 0.75 : 0.5625) }

    /// The single controls that would block each step of a path (docs/analysis.md, "Cuts").
    static func cutOptions(_ steps: [PathStep], _ ctx: AnalysisContext, withText: Bool = true) -> [CutOption] {
        var out: [CutOption] = []
        for (i, s) in steps.enumerated() where s.blockedBy.isEmpty {
            // Texts are only built for the options shown; keys suffice to compare variants.
            func add(_ kind: ControlKind, _ target: String, _ effect: Effect? = nil, _ text: @autoclosure () -> String) {
                out.append(CutOption(kind: kind, target: target, effect: effect, stepIndex: i, text: withText ? text() : ""))
            }
            switch s.technique {
            case .ingestUntrusted, .memoryRead, .delegate, .return, .directPrompt:
                add(.quarantine, s.element, nil, "quarantine untrusted content before it reaches agent '\(s.element)' (dual-LLM pattern)")
            case .toolDescription:
                if let v = s.via { add(.toolPinning, v, nil, "pin MCP server '\(v)' (version and tool descriptions)") }
            case .launcherSetting:
                if let v = s.via { add(.toolPinning, v, nil, "pin launcher '\(v)' and stop it setting the agent's prompt or approvals") }
            case .egress, .renderFetch:
                add(.egressAllowlist, s.via ?? s.element, nil, "enforce an egress allow-list on '\(s.via ?? s.element)'")
            case .bypassApproval:
                if let v = s.via { add(.humanApproval, v, s.effect, "put '\(v)' under the same per-call approval\(s.effect.map { " (\($0.rawValue))" } ?? "")") }
            case .publicWrite, .invokeConsequential, .autonomousAction:
                if s.effect == .execute, let v = s.via { add(.sandbox, v, .execute, "run '\(v)' in a sandbox without host secrets or network") }
                if let v = s.via { add(.humanApproval, v, s.effect, "require per-call human approval showing full arguments on '\(v)'\(s.effect.map { " (\($0.rawValue))" } ?? "")") }
            case .memoryWrite:
                if let v = s.via { add(.memoryValidation, v, nil, "validate writes into '\(v)' before they persist") }
            case .credentialExposure, .credentialUse:
                let c = s.kind == .credential ? s.element : (s.via ?? s.element)
                if ctx.credential(c) != nil { add(.jitCredentials, c, nil, "replace '\(c)' with short-lived per-task credentials from a broker") }
            case .credentialInherit:
                if let v = s.via { add(.jitCredentials, v, nil, "issue the sub-agent its own short-lived credential instead of passing '\(v)'") }
                add(.runtimeAuthorization, s.element, nil, "authorize the delegation to '\(s.element)' afresh (token exchange, attenuated scope)")
            case .forgeMessage:
                add(.messageSigning, s.element, nil, "sign or mTLS-authenticate messages to agent '\(s.element)'")
            case .onBehalf:
                add(.runtimeAuthorization, s.element, nil, "authorize each request to agent '\(s.element)' for the person or agent it is made for")
            case .serverInternal:
                add(.sandbox, s.element, s.effect, "sandbox MCP server '\(s.element)' (no network of its own)")
            case .readSensitive:
                break
            }
        }
        return out
    }

    static func weight(_ s: FindingSeverity) -> Int {
        switch s {
        case .critical: 8
        case .high: 4
        case .medium: 2
        case .low: 1
        case .info: 0
        }
    }

    /// Greedy set cover: repeatedly take the cut that closes the most severity weight of
    /// still-open paths. Greedy is within a log factor of optimal; it is what we promise.
    static func recommend(_ findings: [Finding], maximum: Int = 10) -> [RecommendedCut] {
        // Each finding with its cuts by key, computed once.
        var remaining: [(finding: Finding, cuts: [String: CutOption])] = findings.filter { $0.isPath && $0.status != .mitigated && !$0.cuts.isEmpty }
            .map { f in (f, Dictionary(f.cuts.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })) }
        var out: [RecommendedCut] = []
        while !remaining.isEmpty && out.count < maximum {
            var score: [String: (Int, CutOption)] = [:]
            for (f, cuts) in remaining {
                for (c, option) in cuts {
                    score[c, default: (0, option)].0 += weight(f.severity) + 1
                }
            }
            guard let best = score.max(by: { $0.value.0 != $1.value.0 ? $0.value.0 < $1.value.0 : $0.key > $1.key }) else { break }
            let closed = remaining.filter { $0.cuts[best.key] != nil }.map(\.finding)
            var bySeverity: [FindingSeverity: Int] = [:]
            for f in closed { bySeverity[f.severity, default: 0] += 1 }
            let total = findings.filter { $0.isPath && $0.status != .mitigated }
            let worst = closed.map(\.severity).max() ?? .low
            let ofWorst = total.filter { $0.severity == worst }.count
            let text = "\(best.value.1.text) — closes \(bySeverity[worst] ?? 0) of \(ofWorst) \(worst.rawValue) open path\(ofWorst == 1 ? "" : "s")"
                + (closed.count > (bySeverity[worst] ?? 0) ? " (\(closed.count) in all)" : "")
            out.append(RecommendedCut(cut: best.value.1, closes: closed.map(\.fingerprint), closesBySeverity: bySeverity, text: text))
            let ids = Set(closed.map(\.fingerprint))
            remaining.removeAll { ids.contains($0.finding.fingerprint) }
        }
        return out
    }
}
