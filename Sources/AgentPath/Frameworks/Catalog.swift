/// A framework catalog (OWASP ASI 2026, NIST AI RMF, …) as loaded from `frameworks/*.yaml`.
public struct FrameworkCatalog: Sendable, Hashable {
    public var key: String
    public var prefix: String
    public var title: String
    public var edition: String
    public var publisher: String
    public var url: String
    public var licence: String
    public var verified: Bool
    public var note: String?
    /// How the catalog's ids are formed, when they are not the publisher's (MAESTRO, NIST AI 600-1).
    public var idNote: String?
    public var items: [CatalogItem]
    public var location: SourceLocation

    public init(key: String, prefix: String, title: String, edition: String, publisher: String, url: String,
                licence: String, verified: Bool, note: String?, items: [CatalogItem], location: SourceLocation,
                idNote: String? = nil) {
        self.key = key
        self.prefix = prefix
        self.title = title
        self.edition = edition
        self.publisher = publisher
        self.url = url
        self.licence = licence
        self.verified = verified
        self.note = note
        self.idNote = idNote
        self.items = items
        self.location = location
    }

    public func item(_ id: String) -> CatalogItem? { items.first { $0.id == id } }

    /// Item counts by kind, kinds in the order they first appear.
    public var kindCounts: [(kind: String, count: Int)] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for item in items {
            if counts[item.kind] == nil { order.append(item.kind) }
            counts[item.kind, default: 0] += 1
        }
        return order.map { ($0, counts[$0]!) }
    }
}

public struct CatalogItem: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var title: String
    public var officialTitle: Bool
    public var parent: String?
    public var description: String
    public var altTitles: [String]
    public var formerTitles: [String]
    /// Official mappings to other catalogs (catalog key → ids), e.g. ASI Appendix A.
    public var mapsTo: [String: [String]]
    public var location: SourceLocation

    public init(id: String, kind: String, title: String, officialTitle: Bool = true, parent: String? = nil, description: String,
                altTitles: [String] = [], formerTitles: [String] = [], mapsTo: [String: [String]] = [:], location: SourceLocation = .unknown) {
        self.id = id
        self.kind = kind
        self.title = title
        self.officialTitle = officialTitle
        self.parent = parent
        self.description = description
        self.altTitles = altTitles
        self.formerTitles = formerTitles
        self.mapsTo = mapsTo
        self.location = location
    }
}

/// A reference to one catalog item: `owasp-asi-2026` / `ASI01`.
public struct FrameworkRef: Sendable, Hashable, Comparable {
    public var catalog: String
    public var id: String

    public init(catalog: String, id: String) {
        self.catalog = catalog
        self.id = id
    }

    public static func < (a: FrameworkRef, b: FrameworkRef) -> Bool { (a.catalog, a.id) < (b.catalog, b.id) }
}

/// agentpath's finding classes and control kinds mapped onto catalog items.
public struct Crosswalk: Sendable {
    /// rule id → catalog key → item ids, in the order written.
    public var rules: [String: [(catalog: String, ids: [String])]]
    /// control kind → catalog key → item ids.
    public var controls: [String: [(catalog: String, ids: [String])]]
    /// step technique → catalog key → item ids (ATLAS techniques and MAESTRO layers per hop).
    public var steps: [String: [(catalog: String, ids: [String])]]
    /// Items declared out of scope for an architecture model, with the reason (`out_of_scope:`).
    public var outOfScope: [OutOfScope]

    public init(rules: [String: [(catalog: String, ids: [String])]] = [:], controls: [String: [(catalog: String, ids: [String])]] = [:],
                steps: [String: [(catalog: String, ids: [String])]] = [:], outOfScope: [OutOfScope] = []) {
        self.rules = rules
        self.controls = controls
        self.steps = steps
        self.outOfScope = outOfScope
    }

    public func refs(rule: String) -> [FrameworkRef] { flatten(rules[rule]) }
    public func refs(control: ControlKind) -> [FrameworkRef] { flatten(controls[control.rawValue]) }
    public func refs(step: String) -> [FrameworkRef] { flatten(steps[step]) }

    func flatten(_ entries: [(catalog: String, ids: [String])]?) -> [FrameworkRef] {
        (entries ?? []).flatMap { e in e.ids.map { FrameworkRef(catalog: e.catalog, id: $0) } }
    }
}

/// Catalog items that no architecture model can show, declared in a crosswalk's `out_of_scope:`
/// section: the ids listed, plus every item of the kinds listed.
public struct OutOfScope: Sendable, Hashable {
    public var catalog: String
    public var ids: [String]
    public var kinds: [String]
    public var reason: String

    public init(catalog: String, ids: [String] = [], kinds: [String] = [], reason: String) {
        self.catalog = catalog
        self.ids = ids
        self.kinds = kinds
        self.reason = reason
    }
}

/// The loaded catalogs and crosswalk together.
public struct FrameworkSet: Sendable {
    public var catalogs: [FrameworkCatalog]
    public var crosswalk: Crosswalk
    /// The files the catalogs and crosswalks were read from; `SourceLocation.file` indexes it.
    public var files: SourceFiles

    public init(catalogs: [FrameworkCatalog], crosswalk: Crosswalk, files: SourceFiles = SourceFiles()) {
        self.catalogs = catalogs
        self.crosswalk = crosswalk
        self.files = files
    }

    public func catalog(_ key: String) -> FrameworkCatalog? { catalogs.first { $0.key == key } }

    public func item(_ ref: FrameworkRef) -> CatalogItem? { catalog(ref.catalog)?.item(ref.id) }

    public static let empty = FrameworkSet(catalogs: [], crosswalk: Crosswalk())
}
