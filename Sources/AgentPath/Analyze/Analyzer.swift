/// A cut that closes many open paths at once (greedy set cover over open findings).
public struct RecommendedCut: Sendable, Hashable {
    public var cut: CutOption
    public var closes: [String]
    /// Findings whose cuts close them only together, this one among them, still open after it.
    public var neededFor: [String] = []
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
        let ranked = origins.indices.sorted { (origins[$0].exposure, -$0) > (origins[$1].exposure, -$1) }.map { origins[$0] }
        let originsByID = Dictionary(origins.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let reach = ReachCache()
        let stepCuts = CutCache()
        let influences = ranked.map { Influence(origin: $0, ctx: ctx, evaluator: evaluator, hopSteps: &hopSteps) }
        let reachedBy = RuleInput.index(influences)
        var findings: [Finding] = []
        var truncated: [String: Int] = [:]
        for rule in rules {
            var dropped = Set<String>()
            let info = type(of: rule).info
            let input = RuleInput(ctx: ctx, evaluator: evaluator, origins: origins, influences: influences, limits: limits, budget: VariantBudget(limits),
                                  reachedBy: reachedBy)
            let candidates = rule.find(input)
            var groups: [String: [PathCandidate]] = [:]
            var order: [String] = []
            // Paths group by impact (every entry that reaches it in one finding); governance
            // findings are about one element each.
            let byImpact = info.kind == .path
            for c in candidates {
                let key = byImpact ? c.impactKey : c.entry + "\u{1F}" + c.impactKey
                if groups[key] == nil {
                    if order.count >= limits.findingsPerRule {
                        if dropped.insert(key).inserted { truncated[info.id, default: 0] += 1 }
                        continue
                    }
                    order.append(key)
                }
                groups[key, default: []].append(c)
            }
            // Impacts the budget turned away once the rule had its fill of groups.
            for k in input.budget.refused.sorted() where groups[k] == nil && dropped.insert(k).inserted { truncated[info.id, default: 0] += 1 }
            for key in order {
                let variants = groups[key]!
                findings.append(finding(info, variants, ctx, originsByID, reach, stepCuts,
                                        reaching: byImpact ? input.budget.entries(reaching: variants[0].impactKey) : []))
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

    /// `reaching`: every entry the rule saw reach the group's impact, in the order seen
    /// (including entries whose paths were not built once the group was full).
    func finding(_ info: RuleInfo, _ variants: [PathCandidate], _ ctx: AnalysisContext, _ origins: [String: Origin], _ reach: ReachCache,
                 _ stepCuts: CutCache, reaching: [String] = []) -> Finding {
        let capped = variants.count > limits.pathsPerGroup
        // The first paths found, plus the first path of each entry they miss (up to as many
        // again): status and cuts then answer for every entry, not only the early ones.
        var considered = Array(variants.prefix(limits.pathsPerGroup))
        if capped {
            var entries = Set(considered.map(\.entry))
            var extra = 0
            for v in variants.dropFirst(limits.pathsPerGroup) where extra < limits.pathsPerGroup && entries.insert(v.entry).inserted {
                considered.append(v)
                extra += 1
            }
        }
        let isOpen: (PathCandidate) -> Bool = { $0.steps.allSatisfy { $0.blockedBy.isEmpty } }
        let open = considered.filter(isOpen)
        let anyOpen = open.isEmpty ? considered : open
        // Entries by how exposed their worst path is (then first seen); the most exposed one
        // gives the representative, so the score is the worst entry's.
        var bestExposure: [String: Double] = [:]
        var firstSeen: [String: Int] = [:]
        for (i, v) in considered.enumerated() {
            bestExposure[v.entry] = max(bestExposure[v.entry] ?? 0, v.exposure)
            if firstSeen[v.entry] == nil { firstSeen[v.entry] = i }
        }
        let ranked = bestExposure.keys.sorted { (bestExposure[$0]!, -firstSeen[$0]!) > (bestExposure[$1]!, -firstSeen[$1]!) }
        let poolEntry = ranked.first { e in anyOpen.contains { $0.entry == e } } ?? considered[0].entry
        let pool = anyOpen.filter { $0.entry == poolEntry }
        var seenEntries = Set(ranked)
        let allEntries = ranked.filter { e in anyOpen.contains { $0.entry == e } } + ranked.filter { e in !anyOpen.contains { $0.entry == e } }
            + reaching.filter { seenEntries.insert($0).inserted }
        let listed = Array(allEntries.prefix(max(1, limits.entriesListed)))
        // Representative: within that entry, shortest, then most severe, then first found (stable).
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
            autonomy: info.kind == .path ? rep.actorAutonomy : 1,
            hops: max(0.7, 1 - 0.05 * Double(hops)),
            reduction: pow075(min(2, reducers.count)))
        let status: PathStatus = open.isEmpty ? .mitigated : (reducers.isEmpty ? .open : .reduced)
        var cuts: [CutOption] = []
        var together = false
        if !open.isEmpty, info.kind == .path {
            (cuts, together) = Self.groupCuts(rep: rep, open: open, ctx, origins, reach, stepCuts)
        }
        var refs = frameworks.crosswalk.refs(rule: info.id)
        for s in rep.steps { refs += frameworks.crosswalk.refs(step: s.technique.rawValue) }
        var seen = Set<FrameworkRef>()
        refs = refs.filter { seen.insert($0).inserted }
        let print = info.kind == .path ? Fingerprint.of([info.id, rep.impactKey]) : Fingerprint.of([info.id, rep.entry, rep.impactKey])
        return Finding(rule: info.id, title: info.title, fingerprint: print,
                       entry: rep.entry, entries: listed, impact: rep.impact, summary: rep.summary, steps: rep.steps,
                       pathCount: min(variants.count, limits.pathsPerGroup), pathCountCapped: capped, status: status,
                       severity: FindingSeverity.from(score: factors.score), factors: factors, cuts: cuts,
                       frameworks: refs, location: rep.location, isPath: info.kind == .path, otherEntries: allEntries.count - listed.count,
                       cutsTogether: together)
    }

    /// What closes a group: the single controls that each close every open variant (the
    /// representative's order); when none does, a greedy set of controls that close them
    /// together (`together` is true). Empty when some open variant has nothing to cut.
    static func groupCuts(rep: PathCandidate, open: [PathCandidate], _ ctx: AnalysisContext, _ origins: [String: Origin],
                          _ reach: ReachCache, _ cache: CutCache) -> (cuts: [CutOption], together: Bool) {
        // A quarantine on an agent only closes a variant if no other route from its entry
        // reaches the agents acting after it on that variant.
        func valid(_ v: PathCandidate) -> [Int] {
            let infos = v.steps.map { cache.info($0, ctx) }
            let hops = origins[v.entry].map { reach.hops(of: $0, ctx) }
            var out: [Int] = []
            for (i, info) in infos.enumerated() {
                for o in info.options {
                    if let target = o.quarantineTarget, let hops {
                        let later = infos[(i + 1)...].lazy.compactMap(\.agent).filter { $0 != target }
                        if later.contains(where: { reach.reaches(hops, $0, avoiding: target, ctx) }) { continue }
                    }
                    out.append(o.id)
                }
            }
            return out
        }
        let repIDs = valid(rep)
        var perVariant: [Set<Int>] = []
        var common = Set(repIDs)
        for v in open {
            let ids = Set(valid(v))
            if ids.isEmpty { return ([], false) }
            perVariant.append(ids)
            common.formIntersection(ids)
        }
        let repOptions = cutOptions(rep.steps, ctx)
        var seen = Set<Int>()
        if !common.isEmpty {
            return (repOptions.filter { o in cache.id(o.identity).map { common.contains($0) && seen.insert($0).inserted } ?? false }, false)
        }
        // Greedy cover: the option closing most still-open variants; ties go to the
        // representative's options in path order, then to the key.
        var repRank: [Int: Int] = [:]
        for (rank, id) in repIDs.enumerated() where repRank[id] == nil { repRank[id] = rank }
        var uncovered = Array(perVariant.indices)
        var plan: [CutOption] = []
        while !uncovered.isEmpty {
            var count: [Int: Int] = [:]
            for i in uncovered { for k in perVariant[i] { count[k, default: 0] += 1 } }
            let best = count.max { a, b in
                if a.value != b.value { return a.value < b.value }
                let ra = repRank[a.key] ?? Int.max, rb = repRank[b.key] ?? Int.max
                if ra != rb { return ra > rb }
                return cache.keys[a.key].text > cache.keys[b.key].text
            }!.key
            let identity = cache.keys[best]
            if repRank[best] != nil, let o = repOptions.first(where: { $0.identity == identity }) {
                plan.append(o)
            } else if let v = uncovered.first(where: { perVariant[$0].contains(best) }),
                      var o = cutOptions(open[v].steps, ctx).first(where: { $0.identity == identity }) {
                // Not on the representative's path: its step index refers to no shown step.
                o.stepIndex = -1
                plan.append(o)
            }
            uncovered.removeAll { perVariant[$0].contains(best) }
        }
        return (plan, true)
    }

    /// The cut options of each distinct step, computed once per analysis: steps are shared by
    /// many variants, and what cuts a step depends only on the step.
    final class CutCache {
        struct StepKey: Hashable {
            var technique: StepTechnique
            var kind: ElementKind
            var element: String
            var via: String?
            var effect: Effect?
            var blocked: Bool
        }
        struct Option {
            var id: Int
            /// The agent's position when the option quarantines an agent.
            var quarantineTarget: Int?
        }
        struct StepInfo {
            var options: [Option]
            /// The step's agent, by position, when the step happens at an agent.
            var agent: Int?
        }
        var byStep: [StepKey: StepInfo] = [:]
        var ids: [CutOption.Key: Int] = [:]
        var keys: [CutOption.Key] = []

        func id(_ key: CutOption.Key) -> Int? { ids[key] }

        func info(_ s: PathStep, _ ctx: AnalysisContext) -> StepInfo {
            let blocked = s.controls.contains { $0.strength == .blocks }
            let k = StepKey(technique: s.technique, kind: s.kind, element: s.element, via: s.via, effect: s.effect, blocked: blocked)
            if let known = byStep[k] { return known }
            let options = Analyzer.cutOptions([s], ctx, withText: false).map { o -> Option in
                let key = o.identity
                let n: Int
                if let known = ids[key] { n = known } else { n = keys.count; ids[key] = n; keys.append(key) }
                return Option(id: n, quarantineTarget: o.kind == .quarantine ? ctx.position(of: o.target) : nil)
            }
            let info = StepInfo(options: options, agent: s.kind == .agent ? ctx.position(of: s.element) : nil)
            byStep[k] = info
            return info
        }
    }

    /// Agents (by position) an origin's influence reaches when `avoided` is quarantined;
    /// computed once per (origin, avoided agent) and shared by every finding that asks.
    /// Whether an origin's influence reaches an agent while another agent is quarantined.
    /// Searched backwards from the agent over the flow hops (a delegation tree stays small
    /// even when an origin, say a popular MCP server, first reaches thousands of agents), and
    /// cached per (quarantined, agent) pair, which does not depend on the origin.
    final class ReachCache {
        struct Pair: Hashable {
            var avoided: Int
            var target: Int
        }
        /// (avoided, target) → agents from which `target` is reachable without passing `avoided`.
        var backwards: [Pair: [Int]] = [:]
        var firstHops: [String: Set<Int>] = [:]
        var previous: [[Int]] = []
        var mark: [Int] = []
        var generation = 0

        /// The agents an origin's content reaches first, by position.
        func hops(of origin: Origin, _ ctx: AnalysisContext) -> Set<Int> {
            if let known = firstHops[origin.id] { return known }
            let hops = Set(origin.firstHops.compactMap { ctx.position(of: $0.agent.id) })
            firstHops[origin.id] = hops
            return hops
        }

        func reaches(_ hops: Set<Int>, _ target: Int, avoiding avoided: Int, _ ctx: AnalysisContext) -> Bool {
            guard target != avoided else { return false }
            return sources(target, avoiding: avoided, ctx).contains { $0 != avoided && hops.contains($0) }
        }

        func sources(_ target: Int, avoiding avoided: Int, _ ctx: AnalysisContext) -> [Int] {
            let key = Pair(avoided: avoided, target: target)
            if let known = backwards[key] { return known }
            if previous.isEmpty && !ctx.agents.isEmpty {
                previous = [[Int]](repeating: [], count: ctx.agents.count)
                for (a, next) in ctx.flowNext.enumerated() { for n in next { previous[n].append(a) } }
                mark = [Int](repeating: 0, count: ctx.agents.count)
            }
            generation += 1
            mark[avoided] = generation
            var queue = [target]
            var found: [Int] = []
            var head = 0
            while head < queue.count {
                let a = queue[head]
                head += 1
                guard mark[a] != generation else { continue }
                mark[a] = generation
                found.append(a)
                for p in previous[a] where mark[p] != generation { queue.append(p) }
            }
            backwards[key] = found
            return found
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
    /// A finding whose cuts only close it together counts each of its missing cuts for a share
    /// of its weight, and is closed once all of them are taken.
    static func recommend(_ findings: [Finding], maximum: Int = 10) -> [RecommendedCut] {
        struct Open {
            var finding: Finding
            var cuts: [String: CutOption]
            var missing: Set<String>
        }
        var remaining: [Open] = findings.filter { $0.isPath && $0.status != .mitigated && !$0.cuts.isEmpty }.map { f in
            let cuts = Dictionary(f.cuts.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            return Open(finding: f, cuts: cuts, missing: f.cutsTogether ? Set(cuts.keys) : [])
        }
        let total = findings.filter { $0.isPath && $0.status != .mitigated }
        var out: [RecommendedCut] = []
        while !remaining.isEmpty && out.count < maximum {
            var score: [String: (Double, CutOption)] = [:]
            for o in remaining {
                let w = Double(weight(o.finding.severity) + 1)
                if o.finding.cutsTogether {
                    for k in o.missing { score[k, default: (0, o.cuts[k]!)].0 += w / Double(o.missing.count) }
                } else {
                    for (k, option) in o.cuts { score[k, default: (0, option)].0 += w }
                }
            }
            guard let best = score.max(by: { $0.value.0 != $1.value.0 ? $0.value.0 < $1.value.0 : $0.key > $1.key }) else { break }
            var closed: [Finding] = []
            var next: [Open] = []
            var helps: [String] = []
            for var o in remaining {
                if o.finding.cutsTogether {
                    let had = o.missing.remove(best.key) != nil
                    if o.missing.isEmpty { closed.append(o.finding) } else { next.append(o); if had { helps.append(o.finding.fingerprint) } }
                } else if o.cuts[best.key] != nil {
                    closed.append(o.finding)
                } else {
                    next.append(o)
                }
            }
            remaining = next
            var bySeverity: [FindingSeverity: Int] = [:]
            for f in closed { bySeverity[f.severity, default: 0] += 1 }
            let worst = closed.map(\.severity).max() ?? .low
            let ofWorst = total.filter { $0.severity == worst }.count
            var text = best.value.1.text
            if !closed.isEmpty {
                text += " — closes \(bySeverity[worst] ?? 0) of \(ofWorst) \(worst.rawValue) open path\(ofWorst == 1 ? "" : "s")"
                    + (closed.count > (bySeverity[worst] ?? 0) ? " (\(closed.count) in all)" : "")
            }
            if !helps.isEmpty {
                text += (closed.isEmpty ? " — " : "; ") + "needed, with other cuts, to close \(helps.count) more open path\(helps.count == 1 ? "" : "s")"
            }
            out.append(RecommendedCut(cut: best.value.1, closes: closed.map(\.fingerprint), neededFor: helps, closesBySeverity: bySeverity, text: text))
        }
        return out
    }
}
