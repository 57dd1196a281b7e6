import Foundation

/// Reads framework catalogs and crosswalks from one or more directories (the built-in
/// `frameworks/` and any `--frameworks DIR`) with the same located diagnostics as models.
///
/// Every `*.yaml` / `*.yml` file directly in a directory is read, in sorted order, and is either a
/// catalog (top key `catalog`) or a crosswalk (top key `version`). Catalogs are read first, from
/// all directories; then every reference (`parent`, `maps_to`, crosswalk entries, `out_of_scope`)
/// is resolved against all of them, so a user crosswalk can map built-in rules to a user catalog.
/// Crosswalk entries from several files merge. Whatever does not resolve is reported and left out.
public struct FrameworkLoader {
    /// Rule ids a crosswalk `rules:` entry may name: the analyzer's `RuleRegistry.ids`.
    public var knownRules: Set<String>
    public var limits: YAMLLimits
    public var maxFiles = 1000

    public init(knownRules: Set<String>, limits: YAMLLimits = YAMLLimits()) {
        self.knownRules = knownRules
        self.limits = limits
    }

    /// The `frameworks/` folder shipped beside the tool.
    public static func builtinDirectory() -> String? { ResourceLocator.directory("frameworks") }

    public func load(directories: [String], diagnostics: DiagnosticCollector) -> FrameworkSet {
        var state = FrameworkLoadState(diagnostics: diagnostics, knownRules: knownRules)
        let reader = YAMLReader(limits: limits)
        for directory in directories {
            for path in files(in: directory, diagnostics: diagnostics) {
                let file = diagnostics.files.intern(path)
                let top = SourceLocation(file: file, line: 1, column: 1)
                guard let data = FileManager.default.contents(atPath: path) else {
                    diagnostics.error(.fileUnreadable, "cannot read the file", at: SourceLocation(file: file, line: 0, column: 0))
                    continue
                }
                let errorsBefore = diagnostics.errorCount
                guard let root = reader.read(bytes: [UInt8](data), file: file, diagnostics: diagnostics) else {
                    if diagnostics.errorCount == errorsBefore {
                        diagnostics.error(.frameworkFileKind, "the file is empty; a frameworks file is a catalog (top key `catalog`) or a crosswalk (top key `version`)", at: top)
                    }
                    continue
                }
                state.read(root, top: top)
            }
        }
        return state.resolve()
    }

    /// `*.yaml` and `*.yml` files directly inside `directory`, sorted, hidden files skipped.
    func files(in directory: String, diagnostics: DiagnosticCollector) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            let file = diagnostics.files.intern(directory)
            diagnostics.error(.fileUnreadable, "no such frameworks directory", at: SourceLocation(file: file, line: 0, column: 0))
            return []
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let yaml = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }.sorted()
        if yaml.count > maxFiles {
            let file = diagnostics.files.intern(directory)
            diagnostics.error(.tooManyFiles, "the frameworks directory holds more than \(maxFiles) YAML files", at: SourceLocation(file: file, line: 0, column: 0))
            return []
        }
        return yaml.map { ModelLoader.normalize(base + $0) }
    }

    // MARK: - Specs

    static let catalogSpec = ObjectSpec(name: "catalog", doc: "A framework catalog.", fields: [
        FieldSpec("catalog", .string, required: true, "The catalog key, e.g. `owasp-asi-2026`; `[a-z0-9][a-z0-9._-]*`."),
        FieldSpec("prefix", .string, required: true, "Short qualifier for ids, e.g. `ASI` in `ASI:ASI03`; letters, digits, `-`, `_`."),
        FieldSpec("title", .string, required: true, "The framework's title."),
        FieldSpec("edition", .string, required: true, "Edition or version of the framework."),
        FieldSpec("publisher", .string, "Who publishes it."),
        FieldSpec("url", .string, "Where it is published."),
        FieldSpec("licence", .string, "Its licence."),
        FieldSpec("verified", .bool, default: "false", "Whether ids and titles were checked against the publisher's text."),
        FieldSpec("note", .string, "Quirks and discrepancies worth knowing."),
        FieldSpec("id_note", .string, "How ids are formed when they are not the publisher's."),
        FieldSpec("items", .objects(itemSpec), required: true, "The catalog's items."),
    ])

    static let itemSpec = ObjectSpec(name: "item", doc: "One catalog item.", fields: [
        FieldSpec("id", .string, required: true, "The item's id, unique in its catalog."),
        FieldSpec("kind", .string, required: true, "risk, threat, technique, subcategory, control, …"),
        FieldSpec("title", .string, required: true, "The item's title."),
        FieldSpec("official_title", .bool, default: "true", "false when the publisher gives no title and the title is ours."),
        FieldSpec("parent", .string, "The id of the item this one belongs to, in the same catalog."),
        FieldSpec("description", .string, "What it is, in a sentence."),
        FieldSpec("alt_titles", .strings, "Other names in use."),
        FieldSpec("former_titles", .strings, "Names in earlier editions."),
        FieldSpec("maps_to", .object(ObjectSpec(name: "maps_to", doc: "catalog key → ids", fields: [])), "Official mappings: catalog key → list of ids."),
    ])

    static let crosswalkSpec = ObjectSpec(name: "crosswalk", doc: "Rules, control kinds and steps mapped to catalog items.", fields: [
        FieldSpec("version", .string, required: true, "Crosswalk format version: 1."),
        FieldSpec("rules", .objects(ruleEntrySpec), "Finding classes → catalog items."),
        FieldSpec("controls", .objects(controlEntrySpec), "Control kinds → catalog items they implement."),
        FieldSpec("steps", .objects(stepEntrySpec), "Attack-path step techniques → ATLAS techniques and a MAESTRO layer."),
        FieldSpec("out_of_scope", .objects(outOfScopeSpec), "Catalog items no architecture model can show, with the reason."),
    ])

    static let mapsField = FieldSpec("maps", .object(ObjectSpec(name: "maps", doc: "catalog key → ids", fields: [])), required: true, "catalog key → list of ids.")
    static let ruleEntrySpec = ObjectSpec(name: "rules entry", doc: "", fields: [FieldSpec("rule", .string, required: true, "A rule id."), mapsField])
    static let controlEntrySpec = ObjectSpec(name: "controls entry", doc: "", fields: [FieldSpec("kind", .string, required: true, "A control kind."), mapsField])
    static let stepEntrySpec = ObjectSpec(name: "steps entry", doc: "", fields: [FieldSpec("step", .string, required: true, "A step technique."), mapsField])
    static let outOfScopeSpec = ObjectSpec(name: "out_of_scope entry", doc: "", fields: [
        FieldSpec("catalog", .string, required: true, "A catalog key."),
        FieldSpec("ids", .strings, "Item ids."),
        FieldSpec("kinds", .strings, "Item kinds: every item of these kinds."),
        FieldSpec("reason", .string, required: true, "Why an architecture model cannot show these items."),
    ])
}

// MARK: - Reading

/// A string as written, with where.
struct Located {
    var text: String
    var location: SourceLocation
}

/// `catalog: [id, …]` as written in `maps_to` or `maps`.
struct RawMapping {
    var catalog: Located
    var ids: [Located]
}

struct RawItem {
    var item: CatalogItem
    var parent: Located?
    var maps: [RawMapping]
}

struct RawCatalog {
    var catalog: FrameworkCatalog
    var key: Located
    var prefix: Located
    var items: [RawItem]
}

struct RawCrosswalkEntry {
    enum Section: String { case rules, controls, steps }
    var section: Section
    var name: Located
    var maps: [RawMapping]
}

struct RawOutOfScope {
    var catalog: Located
    var ids: [Located]
    var kinds: [Located]
    var reason: String
}

struct FrameworkLoadState {
    let diagnostics: DiagnosticCollector
    let knownRules: Set<String>
    var catalogs: [RawCatalog] = []
    var entries: [RawCrosswalkEntry] = []
    var outOfScope: [RawOutOfScope] = []

    init(diagnostics: DiagnosticCollector, knownRules: Set<String>) {
        self.diagnostics = diagnostics
        self.knownRules = knownRules
    }

    mutating func read(_ root: YAMLNode, top: SourceLocation) {
        guard let pairs = root.mapping else {
            diagnostics.error(.frameworkFileKind, "a frameworks file is a mapping: a catalog (top key `catalog`) or a crosswalk (top key `version`); found \(root.kindDescription)", at: root.location)
            return
        }
        let keys = Set(pairs.compactMap { $0.key.scalar?.text })
        if keys.contains("catalog") {
            readCatalog(root)
        } else if keys.contains("version") {
            readCrosswalk(root)
        } else {
            let hint = keys.contains("items") ? "; add `catalog: <key>`" : (keys.contains("rules") || keys.contains("controls") || keys.contains("steps") ? "; add `version: 1`" : "")
            diagnostics.error(.frameworkFileKind, "neither a catalog (top key `catalog`) nor a crosswalk (top key `version`)\(hint)", at: top)
        }
    }

    // MARK: Catalogs

    mutating func readCatalog(_ root: YAMLNode) {
        let keyText = root.mapping?.first { $0.key.scalar?.text == "catalog" }?.value.scalar?.text
        let catalogSubject = keyText.map { "catalog '\($0)'" } ?? "the catalog"
        guard let map = MapReader(root, spec: FrameworkLoader.catalogSpec, subject: catalogSubject, diagnostics: diagnostics) else { return }
        guard let key = requiredString(map, "catalog") else { return }
        let subject = "catalog '\(key.text)'"
        guard let prefix = requiredString(map, "prefix") else { return }
        var valid = true
        if !Self.isCatalogKey(key.text) {
            diagnostics.error(.invalidCatalogID, "invalid catalog key '\(key.text)'; a catalog key matches [a-z0-9][a-z0-9._-]* (e.g. acme-ai-controls)", at: key.location)
            valid = false
        }
        if !Self.isPrefix(prefix.text) {
            diagnostics.error(.invalidCatalogID, "invalid prefix '\(prefix.text)' in \(subject); a prefix is letters, digits, '-' and '_', starting with a letter (e.g. ACME)", at: prefix.location)
            valid = false
        }
        let title = requiredString(map, "title")?.text ?? ""
        let edition = requiredString(map, "edition")?.text ?? ""
        var catalog = FrameworkCatalog(
            key: key.text, prefix: prefix.text, title: title, edition: edition,
            publisher: map.string("publisher") ?? "", url: map.string("url") ?? "", licence: map.string("licence") ?? "",
            verified: map.bool("verified") ?? false, note: map.string("note"), items: [], location: root.location,
            idNote: map.string("id_note"))
        var items: [RawItem] = []
        for node in map.objects("items") {
            if let item = readItem(node, catalog: key.text) { items.append(item) }
        }
        catalog.items = items.map(\.item)
        guard valid else { return }
        catalogs.append(RawCatalog(catalog: catalog, key: key, prefix: prefix, items: items))
    }

    func readItem(_ node: YAMLNode, catalog: String) -> RawItem? {
        let idText = node.mapping?.first { $0.key.scalar?.text == "id" }?.value.scalar?.text
        let subject = idText.map { "item '\($0)' of catalog '\(catalog)'" } ?? "an item of catalog '\(catalog)'"
        guard let map = MapReader(node, spec: FrameworkLoader.itemSpec, subject: subject, diagnostics: diagnostics) else { return nil }
        guard let id = requiredString(map, "id") else { return nil }
        guard Self.isItemID(id.text) else {
            diagnostics.error(.invalidCatalogID, "invalid item id '\(id.text)' in catalog '\(catalog)'; an id is non-empty, one line, without leading or trailing spaces", at: id.location)
            return nil
        }
        let kind = requiredString(map, "kind")?.text ?? ""
        let title = requiredString(map, "title")?.text ?? ""
        var parent: Located?
        if let p = map.value("parent") {
            if let s = p.scalar { parent = Located(text: s.text, location: p.location) } else { map.wrongType(p, key: "parent", expected: "an item id") }
        }
        let maps = readMappings(map, key: "maps_to", subject: subject)
        let item = CatalogItem(
            id: id.text, kind: kind, title: title, officialTitle: map.bool("official_title") ?? true, parent: parent?.text,
            description: map.string("description") ?? "", altTitles: map.strings("alt_titles"), formerTitles: map.strings("former_titles"),
            mapsTo: [:], location: node.location)
        return RawItem(item: item, parent: parent, maps: maps)
    }

    /// A required string: missing keys are already reported by `MapReader`; a null or a
    /// collection is a wrong type.
    func requiredString(_ map: MapReader, _ key: String) -> Located? {
        guard let pair = map.values[key] else { return nil }
        let v = pair.value
        guard let s = v.scalar, s.resolved != .null else {
            map.wrongType(v, key: key, expected: "a string")
            return nil
        }
        return Located(text: s.text, location: v.location)
    }

    /// `key: { catalog: [id, …], … }`.
    func readMappings(_ map: MapReader, key: String, subject: String) -> [RawMapping] {
        guard let node = map.value(key) else { return [] }
        guard let pairs = node.mapping else {
            map.wrongType(node, key: key, expected: "a mapping of catalog keys to lists of ids")
            return []
        }
        var out: [RawMapping] = []
        for pair in pairs {
            guard let catalogKey = pair.key.scalar?.text else {
                diagnostics.error(.wrongType, "keys of '\(key)' in \(subject) must be catalog keys, found \(pair.key.kindDescription)", at: pair.key.location)
                continue
            }
            let catalog = Located(text: catalogKey, location: pair.key.location)
            guard let list = pair.value.sequence else {
                let example = pair.value.scalar.map { " (write [\($0.text)])" } ?? ""
                diagnostics.error(.wrongType, "'\(key)' → '\(catalogKey)' in \(subject) must be a list of ids\(example), found \(pair.value.kindDescription)", at: pair.value.location)
                continue
            }
            var ids: [Located] = []
            var seen = Set<String>()
            for element in list {
                guard let s = element.scalar, s.resolved != .null else {
                    diagnostics.error(.wrongType, "'\(key)' → '\(catalogKey)' in \(subject) must list ids, found \(element.kindDescription)", at: element.location)
                    continue
                }
                if !seen.insert(s.text).inserted {
                    diagnostics.warning(.duplicateEntry, "'\(s.text)' is listed twice in '\(key)' → '\(catalogKey)' of \(subject)", at: element.location)
                    continue
                }
                ids.append(Located(text: s.text, location: element.location))
            }
            out.append(RawMapping(catalog: catalog, ids: ids))
        }
        return out
    }

    static func isCatalogKey(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCIILowerOrDigit else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIILowerOrDigit || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isPrefix(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCIILetter else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    static func isItemID(_ s: String) -> Bool {
        guard !s.isEmpty, s.trimmingCharacters(in: .whitespaces) == s else { return false }
        return !s.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }

    // MARK: Crosswalks

    mutating func readCrosswalk(_ root: YAMLNode) {
        guard let map = MapReader(root, spec: FrameworkLoader.crosswalkSpec, subject: "the crosswalk", diagnostics: diagnostics) else { return }
        if let v = map.values["version"]?.value {
            if case .int(1)? = v.scalar?.resolved {} else {
                diagnostics.error(.badVersion, "unsupported crosswalk version '\(v.scalar?.text ?? v.kindDescription)'; this tool reads crosswalk version 1", at: v.location)
                return
            }
        }
        readEntries(map, section: .rules, nameKey: "rule", spec: FrameworkLoader.ruleEntrySpec)
        readEntries(map, section: .controls, nameKey: "kind", spec: FrameworkLoader.controlEntrySpec)
        readEntries(map, section: .steps, nameKey: "step", spec: FrameworkLoader.stepEntrySpec)
        for node in map.objects("out_of_scope") {
            guard let entry = MapReader(node, spec: FrameworkLoader.outOfScopeSpec, subject: "an out_of_scope entry", diagnostics: diagnostics),
                  let catalog = requiredString(entry, "catalog"), let reason = requiredString(entry, "reason") else { continue }
            let ids = locatedStrings(entry, "ids")
            let kinds = locatedStrings(entry, "kinds")
            if ids.isEmpty && kinds.isEmpty {
                diagnostics.error(.missingKey, "an out_of_scope entry for '\(catalog.text)' lists neither 'ids' nor 'kinds'", at: node.location)
                continue
            }
            outOfScope.append(RawOutOfScope(catalog: catalog, ids: ids, kinds: kinds, reason: reason.text))
        }
    }

    func locatedStrings(_ map: MapReader, _ key: String) -> [Located] {
        map.list(key).compactMap { item in
            guard let s = item.scalar, s.resolved != .null else {
                map.wrongType(item, key: key, expected: "a list of strings")
                return nil
            }
            return Located(text: s.text, location: item.location)
        }
    }

    mutating func readEntries(_ map: MapReader, section: RawCrosswalkEntry.Section, nameKey: String, spec: ObjectSpec) {
        var seen: [String: SourceLocation] = [:]
        for node in map.objects(section.rawValue) {
            let nameText = node.mapping?.first { $0.key.scalar?.text == nameKey }?.value.scalar?.text
            let subject = nameText.map { "\(section.rawValue) entry '\($0)'" } ?? "a \(section.rawValue) entry"
            guard let entry = MapReader(node, spec: spec, subject: subject, diagnostics: diagnostics),
                  let name = requiredString(entry, nameKey) else { continue }
            if let first = seen[name.text] {
                diagnostics.error(.duplicateCrosswalkEntry, "'\(name.text)' is listed twice in '\(section.rawValue)' of this crosswalk; the first is at line \(first.line); merge the two", at: name.location)
                continue
            }
            seen[name.text] = name.location
            let maps = readMappings(entry, key: "maps", subject: subject)
            entries.append(RawCrosswalkEntry(section: section, name: name, maps: maps))
        }
    }

    // MARK: - Resolving

    func resolve() -> FrameworkSet {
        // Catalog keys and prefixes are unique; later duplicates are dropped.
        var accepted: [RawCatalog] = []
        var byKey: [String: RawCatalog] = [:]
        var byPrefix: [String: RawCatalog] = [:]
        for raw in catalogs {
            if let first = byKey[raw.key.text] {
                diagnostics.error(.duplicateCatalog, "catalog '\(raw.key.text)' is defined twice; the first is at \(diagnostics.files.describe(first.key.location))", at: raw.key.location)
                continue
            }
            if let first = byPrefix[raw.prefix.text.lowercased()] {
                diagnostics.error(.duplicateCatalog, "prefix '\(raw.prefix.text)' of catalog '\(raw.key.text)' is already the prefix of catalog '\(first.key.text)' (\(diagnostics.files.describe(first.prefix.location))); prefixes qualify ids and must differ", at: raw.prefix.location)
                continue
            }
            byKey[raw.key.text] = raw
            byPrefix[raw.prefix.text.lowercased()] = raw
            accepted.append(raw)
        }

        // Items: unique ids, then parents.
        var catalogsOut: [FrameworkCatalog] = []
        var rawItems: [String: [RawItem]] = [:]
        var idSets: [String: Set<String>] = [:]
        for raw in accepted {
            var ids = Set<String>()
            var firstAt: [String: SourceLocation] = [:]
            var items: [RawItem] = []
            for item in raw.items {
                if let first = firstAt[item.item.id] {
                    diagnostics.error(.duplicateCatalogItem, "item '\(item.item.id)' is defined twice in catalog '\(raw.key.text)'; the first is at line \(first.line)", at: item.item.location)
                    continue
                }
                firstAt[item.item.id] = item.item.location
                ids.insert(item.item.id)
                items.append(item)
            }
            idSets[raw.key.text] = ids
            for i in items.indices {
                guard let parent = items[i].parent else { continue }
                if !ids.contains(parent.text) {
                    diagnostics.error(.unknownParent, "parent '\(parent.text)' of item '\(items[i].item.id)' is not an item of catalog '\(raw.key.text)'\(hint(parent.text, in: ids))", at: parent.location)
                    items[i].item.parent = nil
                }
            }
            let parentOf = Dictionary(items.compactMap { i in i.item.parent.map { (i.item.id, $0) } }, uniquingKeysWith: { a, _ in a })
            for i in items.indices {
                guard let parent = items[i].parent, items[i].item.parent != nil else { continue }
                var chain = [items[i].item.id]
                var cursor: String? = parent.text
                while let c = cursor {
                    let looped = chain.contains(c)
                    chain.append(c)
                    if looped {
                        diagnostics.error(.unknownParent, "the parent chain of item '\(items[i].item.id)' in catalog '\(raw.key.text)' loops: \(chain.joined(separator: " → "))", at: parent.location)
                        items[i].item.parent = nil
                        break
                    }
                    cursor = parentOf[c]
                }
            }
            rawItems[raw.key.text] = items
            var catalog = raw.catalog
            catalog.items = items.map(\.item)
            catalogsOut.append(catalog)
        }

        // maps_to of every item, against every catalog.
        for c in catalogsOut.indices {
            let key = catalogsOut[c].key
            for (i, raw) in rawItems[key, default: []].enumerated() {
                let subject = "maps_to of item '\(raw.item.id)'"
                var mapsTo: [String: [String]] = [:]
                for m in raw.maps {
                    let ids = resolve(m, subject: subject, catalogs: idSets)
                    if let ids { mapsTo[m.catalog.text, default: []].append(contentsOf: ids) }
                }
                catalogsOut[c].items[i].mapsTo = mapsTo
            }
        }

        // Crosswalk entries, merged across files in load order.
        var crosswalk = Crosswalk()
        let controlKinds = ControlKind.allCases.map(\.rawValue)
        let steps = Crosswalk.stepTechniqueNames
        for entry in entries {
            let name = entry.name
            switch entry.section {
            case .rules:
                guard knownRules.contains(name.text) else {
                    diagnostics.error(.unknownRule, "unknown rule '\(name.text)' in the crosswalk\(Suggest.hint(name.text, in: knownRules.sorted()))", at: name.location)
                    continue
                }
            case .controls:
                guard controlKinds.contains(name.text) else {
                    diagnostics.error(.unknownControlKind, "unknown control kind '\(name.text)' in the crosswalk; expected \(listing(controlKinds))\(Suggest.hint(name.text, in: controlKinds))", at: name.location)
                    continue
                }
            case .steps:
                guard steps.contains(name.text) else {
                    diagnostics.error(.unknownStepTechnique, "unknown step technique '\(name.text)' in the crosswalk; expected \(listing(steps))\(Suggest.hint(name.text, in: steps))", at: name.location)
                    continue
                }
            }
            let subject = "\(entry.section.rawValue) entry '\(name.text)'"
            var resolved: [(catalog: String, ids: [String])] = []
            for m in entry.maps {
                if let ids = resolve(m, subject: subject, catalogs: idSets) { resolved.append((m.catalog.text, ids)) }
            }
            switch entry.section {
            case .rules: Self.merge(resolved, into: &crosswalk.rules[name.text, default: []])
            case .controls: Self.merge(resolved, into: &crosswalk.controls[name.text, default: []])
            case .steps: Self.merge(resolved, into: &crosswalk.steps[name.text, default: []])
            }
        }

        for entry in outOfScope {
            guard let ids = resolve(RawMapping(catalog: entry.catalog, ids: entry.ids), subject: "an out_of_scope entry", catalogs: idSets),
                  let catalog = catalogsOut.first(where: { $0.key == entry.catalog.text }) else { continue }
            let kinds = Set(catalog.items.map(\.kind))
            var validKinds: [String] = []
            for kind in entry.kinds {
                if kinds.contains(kind.text) {
                    validKinds.append(kind.text)
                } else {
                    diagnostics.error(.invalidEnum, "catalog '\(catalog.key)' has no item of kind '\(kind.text)'; its kinds are \(listing(kinds.sorted()))\(Suggest.hint(kind.text, in: kinds))", at: kind.location)
                }
            }
            crosswalk.outOfScope.append(OutOfScope(catalog: catalog.key, ids: ids, kinds: validKinds, reason: entry.reason))
        }

        return FrameworkSet(catalogs: catalogsOut, crosswalk: crosswalk, files: diagnostics.files)
    }

    /// The ids of one mapping that its catalog defines; nil when the catalog is unknown.
    func resolve(_ mapping: RawMapping, subject: String, catalogs: [String: Set<String>]) -> [String]? {
        guard let ids = catalogs[mapping.catalog.text] else {
            diagnostics.error(.unknownCatalog, "unknown catalog '\(mapping.catalog.text)' in \(subject)\(Suggest.hint(mapping.catalog.text, in: catalogs.keys.sorted()))", at: mapping.catalog.location)
            return nil
        }
        var out: [String] = []
        for id in mapping.ids {
            if ids.contains(id.text) {
                out.append(id.text)
                continue
            }
            var message = "'\(id.text)' is not an item of catalog '\(mapping.catalog.text)' in \(subject)"
            let suggestion = hint(id.text, in: ids)
            if !suggestion.isEmpty {
                message += suggestion
            } else if let elsewhere = catalogs.keys.sorted().first(where: { catalogs[$0]!.contains(id.text) }) {
                message += "; it is an item of catalog '\(elsewhere)'"
            }
            diagnostics.error(.unknownCatalogItem, message, at: id.location)
        }
        return out
    }

    /// Did-you-mean for an item id: the same id in another spelling (`GOVERN-1.1`), the
    /// edition-qualified form (`LLM06` → `LLM06:2025`), else the closest by edit distance.
    func hint(_ id: String, in ids: Set<String>) -> String {
        let sorted = ids.sorted()
        let n = FrameworkSet.normalizeID(id)
        if let same = sorted.first(where: { FrameworkSet.normalizeID($0) == n }) { return "; did you mean '\(same)'?" }
        if let qualified = sorted.first(where: { FrameworkSet.normalizeID($0).hasPrefix(n + ":") }) { return "; did you mean '\(qualified)'?" }
        return FrameworkSet.closestID(to: id, in: sorted).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func merge(_ new: [(catalog: String, ids: [String])], into existing: inout [(catalog: String, ids: [String])]) {
        for (catalog, ids) in new {
            if let i = existing.firstIndex(where: { $0.catalog == catalog }) {
                for id in ids where !existing[i].ids.contains(id) { existing[i].ids.append(id) }
            } else {
                existing.append((catalog, ids))
            }
        }
    }
}

private extension Unicode.Scalar {
    var isASCIILowerOrDigit: Bool { ("a"..."z").contains(self) || ("0"..."9").contains(self) }
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
