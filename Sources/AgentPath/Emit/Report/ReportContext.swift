/// The report's view model: plain dictionaries and arrays the Mustache templates render.
/// Every value is raw text; the templates escape it (`{{ }}`), and the only unescaped values
/// (`{{{ }}}`) are the CSS, script, SVG and JSON this module writes itself.
public enum ReportContext {
    static let asi = "owasp-asi-2026", maestro = "csa-maestro", nist = "nist-ai-rmf"

    public static func build(model vm: ValidatedModel, analysis r: AnalysisResult, frameworks fw: FrameworkSet,
                             gate g: GateResult) -> [String: Any] {
        let files = vm.model.files
        let sys = vm.model.system
        func loc(_ l: SourceLocation) -> String {
            guard let p = files.path(l) else { return "" }
            return "\(p):\(l.line)"
        }
        let paths = r.paths
        // The gate's verdict for each finding; a finding it did not see (never, in practice) passes.
        let entries = Dictionary(g.entries.map { ($0.finding.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        func entry(_ f: Finding) -> GateEntry { entries[f.fingerprint] ?? GateEntry(finding: f, verdict: .pass) }
        let waived = Set(paths.filter { entry($0).verdict == .waived }.map(\.fingerprint))
        var ctx: [String: Any] = [:]
        ctx["system"] = [
            "id": sys.id, "name": sys.name, "description": sys.description ?? "", "hasDescription": sys.description != nil,
            "owner": sys.owner ?? "", "hasOwner": sys.owner != nil, "environment": sys.environment ?? "", "hasEnvironment": sys.environment != nil,
            "elements": vm.model.elementCount, "location": loc(sys.location),
        ] as [String: Any]
        ctx["gate"] = gateContext(g, waivedPaths: waived.count)

        // 1. Summary: paths by status and severity. A path an unexpired waiver accepts counts as
        // waived, not under its status, so that each row adds up to its total.
        let shown = FindingSeverity.allCases.filter { $0 != .info || paths.contains { $0.severity == .info } }
        func count(_ s: FindingSeverity, _ st: PathStatus) -> Int { paths.filter { $0.severity == s && $0.status == st && !waived.contains($0.fingerprint) }.count }
        func waivedCount(_ s: FindingSeverity) -> Int { paths.filter { $0.severity == s && waived.contains($0.fingerprint) }.count }
        ctx["statusRows"] = shown.map { s -> [String: Any] in
            let o = count(s, .open), red = count(s, .reduced), m = count(s, .mitigated), w = waivedCount(s)
            return ["severity": s.rawValue, "open": o, "reduced": red, "mitigated": m, "waived": w, "total": o + red + m + w,
                    "openNonZero": o > 0, "reducedNonZero": red > 0, "waivedNonZero": w > 0]
        }
        let unwaived = paths.filter { !waived.contains($0.fingerprint) }
        ctx["totals"] = ["paths": paths.count, "open": unwaived.filter { $0.status == .open }.count,
                         "reduced": unwaived.filter { $0.status == .reduced }.count,
                         "mitigated": unwaived.filter { $0.status == .mitigated }.count, "waived": waived.count,
                         "governance": r.governance.count] as [String: Any]
        ctx["cards"] = FindingSeverity.allCases.filter { $0 != .info }.map { s -> [String: Any] in
            let n = paths.filter { $0.severity == s && $0.status != .mitigated }.count
            let w = waivedCount(s)
            return ["severity": s.rawValue, "count": n, "zero": n == 0, "waived": w, "hasWaived": w > 0]
        }
        let byFingerprint = Dictionary(paths.enumerated().map { ($0.element.fingerprint, $0.offset) }, uniquingKeysWith: { a, _ in a })
        ctx["topCuts"] = r.recommendedCuts.prefix(3).enumerated().map { i, c -> [String: Any] in
            ["n": i + 1, "text": c.text, "control": c.cut.kind.rawValue, "target": c.cut.target, "closes": c.closes.count,
             "links": ruleLinks(c.closes.compactMap { byFingerprint[$0] }, paths)]
        }
        ctx["hasCuts"] = !r.recommendedCuts.isEmpty
        ctx["moreCuts"] = r.recommendedCuts.dropFirst(3).map { ["text": $0.text] }
        ctx["hasMoreCuts"] = r.recommendedCuts.count > 3

        // 3. Paths by severity.
        func layer(_ t: StepTechnique) -> (String, String) {
            guard let ref = fw.crosswalk.refs(step: t.rawValue).first(where: { $0.catalog == maestro }) else { return ("", "") }
            return (ref.id, fw.item(ref)?.title ?? "")
        }
        var groups: [[String: Any]] = []
        for s in FindingSeverity.allCases {
            let items = paths.enumerated().filter { $0.element.severity == s }
            if items.isEmpty { continue }
            groups.append(["severity": s.rawValue, "count": items.count, "plural": items.count != 1,
                           "paths": items.map { i, f in pathContext(i, f, loc, layer, fw, entry(f)) }])
        }
        ctx["severityGroups"] = groups
        ctx["hasPaths"] = !paths.isEmpty
        ctx["governance"] = r.governance.map { f -> [String: Any] in
            let e = entry(f)
            return ["rule": f.rule, "title": f.title, "summary": f.summary, "severity": f.severity.rawValue, "location": loc(f.location),
                    "waived": e.waiver != nil, "waiver": e.waiver.map(waiverContext) ?? [:]]
        }
        ctx["hasGovernance"] = !r.governance.isEmpty
        if !r.truncated.isEmpty {
            ctx["hasTruncated"] = true
            ctx["truncated"] = r.truncated.sorted { $0.key < $1.key }.map { ["rule": $0.key, "count": $0.value] }
        }

        // 4. Framework views.
        ctx["asi"] = asiMatrix(paths, fw)
        ctx["maestro"] = maestroLayers(paths, fw)
        ctx["nist"] = nistCoverage(r.findings, fw)

        // 5. Inventory.
        ctx["inventory"] = inventory(vm, loc)
        return ctx
    }

    static func pathContext(_ i: Int, _ f: Finding, _ loc: (SourceLocation) -> String, _ layer: (StepTechnique) -> (String, String),
                            _ fw: FrameworkSet, _ verdict: GateEntry) -> [String: Any] {
        let cutSteps = Set(f.cuts.map(\.stepIndex))
        let steps = f.steps.enumerated().map { n, s -> [String: Any] in
            let (l, lt) = layer(s.technique)
            return ["n": n + 1, "element": s.element, "kind": SystemDiagram.kindLabel(s.kind), "technique": s.technique.rawValue,
                    "layer": l, "layerTitle": lt, "hasLayer": !l.isEmpty, "location": loc(s.location), "via": s.via ?? "", "hasVia": s.via != nil,
                    "effect": s.effect?.rawValue ?? "", "hasEffect": s.effect != nil, "text": s.text, "cutHere": cutSteps.contains(n),
                    "controls": s.controls.map { c in ["control": c.control, "kind": c.kind.rawValue, "strength": c.strength.rawValue, "reason": c.reason] },
                    "hasControls": !s.controls.isEmpty]
        }
        var catalogs: [String] = []
        var byCatalog: [String: [[String: Any]]] = [:]
        for ref in f.frameworks {
            if byCatalog[ref.catalog] == nil { catalogs.append(ref.catalog) }
            byCatalog[ref.catalog, default: []].append(["id": ref.id])
        }
        let text = [f.rule, f.title, f.summary, f.entry, f.impact].joined(separator: " ") + " " + f.steps.map { $0.element + " " + ($0.via ?? "") }.joined(separator: " ")
        return [
            "index": i, "anchor": "p\(i)", "open": i == 0, "rule": f.rule, "title": f.title, "summary": f.summary, "fingerprint": f.fingerprint,
            "severity": f.severity.rawValue, "status": f.status.rawValue, "score": String(format1(f.factors.score)),
            "entry": f.entry, "impact": f.impact, "location": loc(f.location), "gateFails": verdict.verdict == .fail,
            "pathCount": f.pathCount, "capped": f.pathCountCapped, "manyPaths": f.pathCount > 1, "otherEntries": f.otherEntries,
            "hasOtherEntries": f.otherEntries > 0, "steps": steps, "hops": f.steps.count,
            "impactReason": f.factors.impactReason, "exposureReason": f.factors.exposureReason,
            "mitigatedBy": f.mitigatingControls.joined(separator: ", "), "hasMitigatedBy": !f.mitigatingControls.isEmpty,
            "reducedBy": f.reducingControls.joined(separator: ", "), "hasReducedBy": !f.reducingControls.isEmpty,
            "cuts": f.cuts.map { ["text": $0.text, "control": $0.kind.rawValue, "step": $0.stepIndex >= 0 ? $0.stepIndex + 1 : 0] }, "hasCuts": !f.cuts.isEmpty,
            "frameworks": catalogs.map { c in ["catalog": fw.catalog(c)?.prefix ?? c, "items": byCatalog[c]!] },
            "search": text.lowercased(),
            "waived": verdict.waiver != nil, "waiver": verdict.waiver.map(waiverContext) ?? [:],
            "hasExpiredWaiver": verdict.expiredWaiver != nil, "expiredWaiver": verdict.expiredWaiver.map(waiverContext) ?? [:],
        ]
    }

    /// "accepted by OWNER until DATE: justification (ITEM)", in parts for the template.
    static func waiverContext(_ w: Waiver) -> [String: Any] {
        ["fingerprint": w.fingerprint, "owner": w.owner, "expires": w.expires.description, "justification": w.justification, "framework": w.framework,
         "text": acceptance(w)]
    }

    /// `accepted by platform-security until 2026-12-31: shell.run only runs in a sandbox. (ASI02)`
    public static func acceptance(_ w: Waiver) -> String {
        "accepted by \(w.owner) until \(w.expires): \(w.justification) (\(w.framework))"
    }

    /// The banner: pass or fail, and why, from the gate's evaluation (expired waivers fail it).
    static func gateContext(_ g: GateResult, waivedPaths: Int) -> [String: Any] {
        let failing = g.count(.fail), expired = g.expiredWaivers.count
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var reasons: [String] = []
        if failing > 0 || g.passed {
            if let failOn = g.gate.failOn {
                reasons.append(failing == 0 ? "no open path at \(failOn.rawValue) or above" : "\(plural(failing, "open path")) at \(failOn.rawValue) or above")
            } else {
                reasons.append("the severity gate is off")
            }
        }
        if expired > 0 { reasons.append(plural(expired, "expired waiver")) }
        let waived = g.count(.waived)
        if waived > 0 { reasons.append("\(waived) waived") }
        return ["passed": g.passed, "failOn": g.gate.failOnText, "failing": failing, "failingPlural": failing != 1,
                "expired": expired, "waived": waived, "waivedPaths": waivedPaths, "detail": reasons.joined(separator: " · "),
                "hasWaivers": !g.waivers.isEmpty, "today": g.today.description,
                "expiredWaivers": g.expiredWaivers.map(waiverContext), "hasExpired": expired > 0]
    }

    /// One link per rule among the paths a cut closes: to the first such path, with a count.
    static func ruleLinks(_ indices: [Int], _ paths: [Finding]) -> [[String: Any]] {
        var order: [String] = []
        var first: [String: Int] = [:], count: [String: Int] = [:]
        for i in indices {
            let rule = paths[i].rule
            if first[rule] == nil { order.append(rule); first[rule] = i }
            count[rule, default: 0] += 1
        }
        return order.map { ["anchor": "p\(first[$0]!)", "rule": $0, "count": count[$0]!, "many": count[$0]! > 1] }
    }

    static func format1(_ d: Double) -> String {
        let tenths = Int((d * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    static func asiMatrix(_ paths: [Finding], _ fw: FrameworkSet) -> [String: Any] {
        let items = fw.catalog(asi)?.items ?? []
        let sev = FindingSeverity.allCases.filter { $0 != .info }
        let rows = items.map { item -> [String: Any] in
            let ref = FrameworkRef(catalog: asi, id: item.id)
            let hits = paths.filter { $0.frameworks.contains(ref) }
            let cells = sev.map { s -> [String: Any] in
                let n = hits.filter { $0.severity == s && $0.status != .mitigated }.count
                return ["count": n, "zero": n == 0, "severity": s.rawValue]
            }
            let mitigated = hits.filter { $0.status == .mitigated }.count
            return ["id": item.id, "title": item.title, "cells": cells, "mitigated": mitigated, "total": hits.count,
                    "none": hits.isEmpty, "rules": fw.rules(mappingTo: ref).joined(separator: ", ")]
        }
        return ["present": !items.isEmpty, "severities": sev.map { ["severity": $0.rawValue] }, "rows": rows]
    }

    static func maestroLayers(_ paths: [Finding], _ fw: FrameworkSet) -> [String: Any] {
        guard let c = fw.catalog(maestro) else { return ["present": false] }
        let layers = c.items.filter { $0.kind == "layer" }
        let rows = layers.map { item -> [String: Any] in
            let id = item.id
            let techniques = StepTechnique.allCases.filter { fw.crosswalk.refs(step: $0.rawValue).contains(FrameworkRef(catalog: maestro, id: id)) }
            let hitIndices = paths.indices.filter { i in
                let f = paths[i]
                return f.steps.contains { techniques.contains($0.technique) } || f.frameworks.contains { $0.catalog == maestro && ($0.id == id || $0.id.hasPrefix(id + ":")) }
            }
            let hits = hitIndices.map { paths[$0] }
            let open = hits.filter { $0.status != .mitigated }
            let threats = Set(paths.flatMap(\.frameworks).filter { $0.catalog == maestro && $0.id.hasPrefix(id + ":") }.map(\.id)).sorted()
            return ["id": id, "title": item.title, "paths": hits.count, "open": open.count, "blind": hits.isEmpty,
                    "techniques": techniques.map(\.rawValue).joined(separator: ", "), "hasTechniques": !techniques.isEmpty,
                    "threats": threats.map { t in ["name": String(t.dropFirst(id.count + 1))] }, "hasThreats": !threats.isEmpty,
                    "bar": paths.isEmpty ? 0 : max(hits.isEmpty ? 0 : 2, hits.count * 100 / paths.count),
                    "pathList": hitIndices.map { String($0) }.joined(separator: " ")]
        }
        let blind = rows.filter { $0["blind"] as! Bool }.map { $0["id"] as! String }
        return ["present": true, "rows": rows, "blind": blind.joined(separator: ", "), "hasBlind": !blind.isEmpty, "blindCount": blind.count]
    }

    static func nistCoverage(_ findings: [Finding], _ fw: FrameworkSet) -> [String: Any] {
        guard let c = fw.catalog(nist) else { return ["present": false] }
        var childrenOf: [String: [String]] = [:]
        for item in c.items { if let p = item.parent { childrenOf[p, default: []].append(item.id) } }
        func leaves(_ id: String) -> [String] {
            guard let kids = childrenOf[id], !kids.isEmpty else { return [id] }
            return kids.flatMap(leaves)
        }
        var detectedByRules = Set<String>()
        for rule in fw.crosswalk.rules.keys { for ref in fw.crosswalk.refs(rule: rule) where ref.catalog == nist { detectedByRules.insert(ref.id) } }
        var hitsByID: [String: Int] = [:]
        for f in findings { for ref in Set(f.frameworks) where ref.catalog == nist { hitsByID[ref.id, default: 0] += 1 } }
        let functions = c.items.filter { $0.kind == "function" }.map { fn -> [String: Any] in
            let cats = (childrenOf[fn.id] ?? []).map { cid -> [String: Any] in
                let l = leaves(cid)
                let detected = l.filter { detectedByRules.contains($0) }
                let hits = l.reduce(0) { $0 + (hitsByID[$1] ?? 0) } + (hitsByID[cid] ?? 0)
                let cells = l.map { sub -> [String: Any] in
                    ["id": sub, "title": c.item(sub)?.title ?? "", "detected": detectedByRules.contains(sub), "hit": (hitsByID[sub] ?? 0) > 0, "hits": hitsByID[sub] ?? 0]
                }
                return ["id": cid, "title": c.item(cid)?.title ?? "", "total": l.count, "detected": detected.count, "findings": hits,
                        "hasFindings": hits > 0, "subcategories": cells]
            }
            let total = cats.reduce(0) { $0 + ($1["total"] as! Int) }
            let det = cats.reduce(0) { $0 + ($1["detected"] as! Int) }
            let hits = cats.reduce(0) { $0 + ($1["findings"] as! Int) }
            return ["id": fn.id, "title": fn.description, "categories": cats, "total": total, "detected": det, "findings": hits]
        }
        return ["present": true, "functions": functions]
    }

    static func inventory(_ vm: ValidatedModel, _ loc: (SourceLocation) -> String) -> [String: Any] {
        let m = vm.model
        func ids(_ refs: [Ref]) -> String { refs.map(\.id).joined(separator: ", ") }
        let agents = m.agents.map { a -> [String: Any] in
            ["id": a.id, "name": a.info.name ?? "", "zone": a.zone?.id ?? "", "autonomy": a.autonomy.rawValue, "model": a.model ?? "",
             "identity": a.identity.map { $0.kind.rawValue + ($0.id.map { ": " + $0 } ?? "") } ?? "", "tools": a.tools.count,
             "credentials": ids(a.credentials), "delegates": a.delegates.map(\.to.id).joined(separator: ", "), "owner": a.info.owner ?? "",
             "location": loc(a.location)]
        }
        let tools = m.tools.map { t -> [String: Any] in
            ["id": t.id, "server": t.server?.id ?? "", "effects": t.effects.map(\.rawValue).joined(separator: ", "), "egress": t.egress.rawValue,
             "reads": ids(t.reads), "writes": ids(t.writes), "credential": t.credential?.id ?? "", "location": loc(t.location)]
        }
        let creds = m.credentials.map { c -> [String: Any] in
            ["id": c.id, "kind": c.kind?.rawValue ?? "", "ttl": c.ttl.description, "ttlSort": c.ttl.seconds.map { String($0) } ?? "999999999999",
             "storage": c.storage?.rawValue ?? "not stated", "issued": c.issued.rawValue, "binding": c.binding.rawValue,
             "scopes": c.scopes.joined(separator: ", "), "grants": ids(c.grants), "revocation": c.revocation.rawValue,
             "risky": c.ttl == .never || c.storage == nil || c.storage == .hardcoded || c.storage == .inline || c.storage == .env,
             "location": loc(c.location)]
        }
        let servers = m.mcpServers.map { s -> [String: Any] in
            ["id": s.id, "source": s.source ?? "", "version": s.version ?? "", "pinned": s.pinned ? "pinned" : "unpinned", "isPinned": s.pinned,
             "integrity": s.integrity ?? "", "publisher": s.publisher.rawValue, "runs": s.runs?.rawValue ?? "", "transport": s.transport?.rawValue ?? "",
             "zone": s.zone?.id ?? "", "location": loc(s.location)]
        }
        return ["agents": agents, "tools": tools, "credentials": creds, "servers": servers,
                "agentCount": agents.count, "toolCount": tools.count, "credentialCount": creds.count, "serverCount": servers.count,
                "hasAgents": !agents.isEmpty, "hasTools": !tools.isEmpty, "hasCredentials": !creds.isEmpty, "hasServers": !servers.isEmpty]
    }
}
