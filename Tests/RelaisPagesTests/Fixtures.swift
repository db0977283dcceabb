import RelaisCore
@testable import RelaisPages

/// Every page of the layer, with every string of its model set to `s` (optionals filled, lists of
/// two), so a test can check what any field becomes in the HTML.
enum Fixtures {
    static func layout(_ s: String, csrf: String? = "TOKEN-123", signedIn: Bool = true, language: Language = .fr) -> Layout {
        Layout(schoolName: s, person: signedIn ? Layout.Person(name: s, role: .admin) : nil, csrf: csrf, path: s, language: language)
    }

    static func item(_ s: String, kind: BundleManifest.Kind = .solution, licensed: Bool = true) -> CatalogueItem {
        CatalogueItem(
            id: s, title: Bilingual(fr: s, en: s), description: Bilingual(fr: s, en: s), kind: kind, standard: .scorm12, publisher: s,
            levels: [.cycle3, .cycle4], version: s, contentBytes: 123_456, durationMinutes: 20, licensed: licensed,
            licenceNote: Bilingual(fr: s, en: s), openURL: s,
            trainingAdvice: [.init(title: Bilingual(fr: s, en: s), openURL: s), .init(title: Bilingual(fr: s, en: s), openURL: s)])
    }

    static func filterForm(_ s: String) -> CatalogueFilterForm {
        CatalogueFilterForm(
            action: s, filter: CatalogueFilter(cycle: .cycle3, discipline: s, kind: .solution, standard: .scorm12, licence: .valid, audience: .eleve, search: s),
            options: CatalogueFilter.Options(cycles: [.cycle3, .cycle4], disciplines: [s, s], kinds: [.solution, .training], standards: [.scorm12]),
            hidden: [.init(name: s, value: s), .init(name: s, value: s)])
    }

    static func pages(_ s: String, csrf: String? = "TOKEN-123", signedIn: Bool = true) -> [any PageModel] {
        let l = layout(s, csrf: csrf, signedIn: signedIn)
        let staff = [
            StaffMember(id: s, lastName: s, firstName: s, login: s, role: .enseignant, email: s, active: true),
            StaffMember(id: s, lastName: s, firstName: s, login: s, role: .admin, email: s, active: false),
        ]
        let classes = [ClassSummary(id: s, name: s, level: s, cycle: .cycle3, teachers: [s, s], pupilCount: 25)]
        let pupils = [ClassPupil(id: s, firstName: s, initial: s), ClassPupil(id: s, firstName: s, initial: s)]
        return [
            CataloguePage(layout: l, items: [item(s), item(s, kind: .training, licensed: false)], total: 7, filterForm: filterForm(s)),
            LaunchRefusalPage(layout: l, status: 403, french: s, english: s, backURL: s),
            LearnerFormPage(layout: l, bundleTitle: Bilingual(fr: s, en: s), actionURL: s, firstName: s, problem: true, backURL: s),
            PlayerPage(layout: l, activityTitle: Bilingual(fr: s, en: s), frameURL: s, backURL: s),
            SignInPage(layout: l, login: s, failed: true, throttledMinutes: 5, resetLogin: s, resetProblem: .invalidCode, passwordChanged: true),
            AdminSetupPage(layout: l, lastName: s, firstName: s, problems: [.invalidCode, .passwordsDiffer]),
            AdminHomePage(
                layout: l, staff: staff, classes: classes, teachers: [TeacherChoice(id: s, name: s), TeacherChoice(id: s, name: s)],
                notice: .staffAdded(name: s),
                staffDraft: .init(lastName: s, firstName: s, role: .admin, email: s), staffProblems: [.missingLastName],
                staffImportProblems: [.noFile], classDraft: .init(name: s, level: s, cycle: .cycle2, teacherIDs: [s]),
                classProblems: [.missingName], boxState: boxState(s)),
            ImportPreviewPage(
                layout: l, kind: .pupils(className: s), fileName: s,
                rows: [.init(line: 2, cells: [s, s, s], existing: false), .init(line: 3, cells: [s, s, s], existing: true)], problems: [],
                token: s, cancelURL: s),
            ImportPreviewPage(
                layout: l, kind: .staff, fileName: s, rows: [.init(line: 2, cells: [s, s, s, s], existing: false)],
                problems: [.init(line: 7, column: s, french: s, english: s), .init(line: nil, column: nil, french: s, english: s)],
                token: s, cancelURL: s),
            AdminClassPage(
                layout: l, schoolClass: classes[0], pupils: pupils, notice: .pupilRemoved(name: s), draftFirstName: s, draftInitial: s,
                pupilProblems: [.invalidInitial], importProblems: [.noFile]),
            ResetCodePage(layout: l, personName: s, login: s, code: s, validHours: 24),
            TeacherHomePage(
                layout: l, classes: [.init(name: s, level: s, pupils: pupils)], catalogue: [item(s)],
                trainings: [.init(id: s, title: Bilingual(fr: s, en: s), state: .completed(at: 1_780_000_000), openURL: s),
                            .init(id: s, title: Bilingual(fr: s, en: s), state: .started, openURL: s)]),
            MessagePage(layout: l, kind: .throttled(minutes: 5), backURL: s),
            ConfirmPage(layout: l, action: .removePupil(name: s), actionURL: s, backURL: s),
            ConfirmPage(layout: l, action: .deleteClass(name: s), actionURL: s, backURL: s),
            ConfirmPage(layout: l, action: .disableStaff(name: s), actionURL: s, backURL: s),
        ] + seancePages(s, l)
    }

    /// The « État de la box » section with every string set to `s`, a warning on every row.
    static func boxState(_ s: String) -> BoxStateSummary {
        BoxStateSummary(
            version: s, uai: s, diskUsedPercent: 91, diskUsedBytes: 91_000_000, diskFreeBytes: 9_000_000, diskWarning: true,
            lastPull: 1_780_000_000, pullFailing: true, lastPush: nil, pushFailing: true, outboxPending: 12, outboxOldest: 1_780_000_000,
            quarantined: 2, clock: .behind(seconds: 7_200), urls: [s, s], addresses: [s, s],
            warnings: [Bilingual(fr: s, en: s), Bilingual(fr: s, en: s)],
            expiring: [.init(title: s, idAbonnement: s, finValidite: 1_780_000_000, daysLeft: 3), .init(title: s, idAbonnement: s, finValidite: 1_780_000_000, daysLeft: 1)])
    }

    /// The séance prête's pages, every optional part filled.
    static func seancePages(_ s: String, _ l: Layout) -> [any PageModel] {
        let fields = SeanceFormFields(title: s, classId: s, date: s, start: s, end: s, instructions: s, planB: s, classes: [.init(id: s, name: s)])
        let cell = ProgressCellItem(launched: true, completed: true, success: true, score: 0.8, seconds: 300)
        let table = ProgressTable(activities: [s, s], rows: [ProgressRowItem(pupilName: s, joined: true, cells: [cell, ProgressCellItem(launched: false, completed: false, success: nil, score: nil, seconds: 0)])])
        return [
            PupilHomePage(layout: l, typed: s, problem: .throttled(minutes: 3)),
            PupilNamesPage(layout: l, seanceTitle: s, className: s, code: s, names: [.init(id: s, displayName: s, joined: true)]),
            PupilActivitiesPage(layout: l, pupilName: s, seanceTitle: s, activities: [.init(position: 0, title: s, cell: cell), .init(position: 1, title: s, cell: cell, problem: Bilingual(fr: s, en: s))], notice: Bilingual(fr: s, en: s)),
            SeanceNewPage(layout: l, fields: fields, problems: [s]),
            SeancePage(
                layout: l, id: s, state: .confiee, libre: false, className: s, fields: fields, problems: [s], notice: s,
                activities: [SeanceActivityItem(position: 0, title: s, detail: s), SeanceActivityItem(position: 1, title: s, detail: s, problem: Bilingual(fr: s, en: s))],
                candidates: [.init(bundleId: s, itemId: s, title: s, detail: s, advice: s, adviceURL: s), .init(bundleId: s, itemId: s, title: s, detail: s, isPart: true)], filterForm: filterForm(s), handoverUntil: 1_900_000_000),
            SeancePage(
                layout: l, id: s, state: .terminee, libre: false, className: s, fields: fields, activities: [SeanceActivityItem(position: 0, title: s, detail: s)],
                candidates: [], progress: table, charts: [.init(title: s, imageURL: s, description: s)]),
            HandoverSheetPage(layout: l, seanceTitle: s, className: s, slot: s, code: s, qrImageURL: s, substituteURL: s, validUntil: 1_900_000_000, seanceId: s),
            SubstituteCodePage(layout: l, typed: s, problem: .refused),
            SubstituteSeancePage(
                layout: l, seanceId: s, title: s, className: s, slot: s, state: .enCours, instructions: s, planB: s, activities: [s], pupils: [s],
                joinCode: s, joinQRImageURL: s, joinURL: s, progress: table, accessUntil: 1_900_000_000, notice: Bilingual(fr: s, en: s)),
            ProjectorPage(layout: l, seanceId: s, title: s, joinCode: s, joinQRImageURL: s, homeURL: s),
        ]
    }

    /// The pages as a school would see them: ordinary data, for the layout and wording checks.
    static func ordinaryPages(language: Language = .fr, csrf: String? = "TOKEN-123") -> [any PageModel] {
        let l = Layout(schoolName: "École Jean Moulin", person: Layout.Person(name: "Awa Diallo", role: .enseignant), csrf: csrf, path: "/catalogue?public=ELEVE", language: language)
        let item = CatalogueItem(
            id: "calcul-mental", title: Bilingual(fr: "Calcul mental", en: "Mental arithmetic"), description: Bilingual(fr: "Des calculs", en: "Sums"),
            kind: .solution, standard: .html5, publisher: "Éditions Exemple", levels: [.cycle3], version: "1.2.0", contentBytes: 2048,
            licensed: true, openURL: "/lancer/calcul-mental")
        let pupils = [ClassPupil(id: "1", firstName: "Lina", initial: "B"), ClassPupil(id: "2", firstName: "Lucas", initial: "M")]
        let cm2 = ClassSummary(id: "7", name: "CM2 B", level: "CM2", cycle: .cycle3, teachers: ["Awa Diallo"], pupilCount: 2)
        return [
            CataloguePage(
                layout: l, items: [item], total: 3,
                filterForm: CatalogueFilterForm(
                    action: "/catalogue", filter: CatalogueFilter(cycle: .cycle3, search: "calcul"),
                    options: CatalogueFilter.Options(cycles: [.cycle2, .cycle3], disciplines: ["mathématiques"], kinds: [.solution, .training], standards: [.html5]))),
            LaunchRefusalPage(layout: l, status: 403, french: "La licence a expiré.", english: "The licence has expired."),
            LearnerFormPage(layout: l, bundleTitle: item.title, actionURL: "/lancer/calcul-mental"),
            PlayerPage(layout: l, activityTitle: item.title, frameURL: "http://relais.local:20001/_relais/lecteur.html?launch=abc"),
            SignInPage(layout: l),
            AdminSetupPage(layout: l),
            AdminHomePage(
                layout: l, staff: [StaffMember(id: "3", lastName: "Diallo", firstName: "Awa", login: "adiallo", role: .enseignant)],
                classes: [cm2], teachers: [TeacherChoice(id: "3", name: "Awa Diallo")],
                boxState: BoxStateSummary(
                    version: "0.1.0", uai: "0750654D", diskUsedPercent: 42, diskUsedBytes: 42_000_000_000, diskFreeBytes: 58_000_000_000,
                    diskWarning: false, lastPull: 1_780_000_000, pullFailing: false, lastPush: 1_780_003_600, pushFailing: false,
                    outboxPending: 0, outboxOldest: nil, quarantined: 0, clock: .ok,
                    urls: ["http://relais.local:8080/", "http://192.168.1.20:8080/"], addresses: ["192.168.1.20 (eth0)"],
                    warnings: [Bilingual(fr: "La licence « Calcul mental » se termine dans 12 jours ; demandez son renouvellement.", en: "The licence for “Calcul mental” ends in 12 days; ask for its renewal.")],
                    expiring: [.init(title: "Calcul mental", idAbonnement: "ABO-1", finValidite: 1_781_000_000, daysLeft: 12)])),
            ImportPreviewPage(layout: l, kind: .staff, fileName: "personnels.csv", rows: [.init(line: 2, cells: ["Robert", "Marc", "enseignant", ""], existing: false)], problems: [], token: "tok"),
            AdminClassPage(layout: l, schoolClass: cm2, pupils: pupils),
            ResetCodePage(layout: l, personName: "Awa Diallo", login: "adiallo", code: "K7M-4PX-9ZT", validHours: 24),
            TeacherHomePage(
                layout: l, classes: [.init(name: "CM2 B", level: "CM2", pupils: pupils)], catalogue: [item],
                trainings: [.init(id: "prise-en-main", title: Bilingual(fr: "Prise en main"), state: .notStarted, openURL: "/lancer/prise-en-main")]),
            MessagePage(layout: l, kind: .expiredForm),
            ConfirmPage(layout: l, action: .removePupil(name: "Lina B."), actionURL: "/admin/classes/7/eleves/1/retirer", backURL: "/admin/classes/7"),
            PupilHomePage(layout: l),
            PupilNamesPage(layout: l, seanceTitle: "Fractions — CM2 B", className: "CM2 B", code: "HQ49ZT", names: [.init(id: "1", displayName: "Lina B.")]),
            PupilActivitiesPage(
                layout: l, pupilName: "Lina B.", seanceTitle: "Fractions — CM2 B",
                activities: [.init(position: 0, title: "Calcul mental", cell: ProgressCellItem(launched: false, completed: false, success: nil, score: nil, seconds: 0))]),
            SeanceNewPage(layout: l, fields: SeanceFormFields(classes: [.init(id: "7", name: "CM2 B")])),
            SeancePage(
                layout: l, id: "s1", state: .brouillon, libre: false, className: "CM2 B",
                fields: SeanceFormFields(title: "Fractions — CM2 B", classId: "7", classes: [.init(id: "7", name: "CM2 B")]),
                activities: [SeanceActivityItem(position: 0, title: "Calcul mental", detail: "HTML5 · Éditions Exemple")],
                candidates: [.init(bundleId: "calcul-mental", itemId: nil, title: "Calcul mental", detail: "HTML5 · Éditions Exemple")]),
            HandoverSheetPage(
                layout: l, seanceTitle: "Fractions — CM2 B", className: "CM2 B", slot: nil, code: "K7M4PX", qrImageURL: "data:image/svg+xml;base64,AA==",
                substituteURL: "http://relais.local:8080/remplacant", validUntil: 1_900_000_000, seanceId: "s1"),
            SubstituteCodePage(layout: l),
            SubstituteSeancePage(
                layout: l, seanceId: "s1", title: "Fractions — CM2 B", className: "CM2 B", slot: nil, state: .confiee, instructions: "Activité 1 puis 2.",
                planB: "", activities: ["Calcul mental"], pupils: ["Lina B."],
                progress: ProgressTable(activities: ["Calcul mental"], rows: [ProgressRowItem(pupilName: "Lina B.", joined: false, cells: [ProgressCellItem(launched: false, completed: false, success: nil, score: nil, seconds: 0)])])),
            ProjectorPage(layout: l, seanceId: "s1", title: "Fractions — CM2 B", joinCode: "HQ49ZT", joinQRImageURL: "data:image/svg+xml;base64,AA==", homeURL: "http://relais.local:8080/"),
        ]
    }

    /// Every string inside a value (struct fields, enum payloads, arrays, optionals), by path.
    static func strings(in value: Any, path: String = "") -> [(path: String, value: String)] {
        if let string = value as? String { return [(path, string)] }
        let mirror = Mirror(reflecting: value)
        var found: [(String, String)] = []
        for (index, child) in mirror.children.enumerated() {
            found += strings(in: child.value, path: path + "." + (child.label ?? "\(index)"))
        }
        return found
    }

    /// The texts of every page, French and English.
    static var texts: [(name: String, fr: Any, en: Any)] { [
        ("layout", LayoutTexts.fr, LayoutTexts.en), ("catalogue", CatalogueTexts.fr, CatalogueTexts.en),
        ("card", CardTexts.fr, CardTexts.en), ("refusal", RefusalTexts.fr, RefusalTexts.en),
        ("learner", LearnerTexts.fr, LearnerTexts.en), ("player", PlayerTexts.fr, PlayerTexts.en),
        ("message", MessageTexts.fr, MessageTexts.en), ("signIn", SignInTexts.fr, SignInTexts.en),
        ("setup", SetupTexts.fr, SetupTexts.en), ("admin", AdminTexts.fr, AdminTexts.en), ("import", ImportTexts.fr, ImportTexts.en),
        ("class", ClassTexts.fr, ClassTexts.en), ("resetCode", ResetCodeTexts.fr, ResetCodeTexts.en),
        ("teacher", TeacherTexts.fr, TeacherTexts.en), ("catalogueFilter", CatalogueFilterTexts.fr, CatalogueFilterTexts.en),
        ("scoreChart", ScoreChartTexts.fr, ScoreChartTexts.en), ("pupil", PupilTexts.fr, PupilTexts.en),
        ("seance", SeanceTexts.fr, SeanceTexts.en), ("substitute", SubstituteTexts.fr, SubstituteTexts.en),
        ("confirm", ConfirmTexts.fr, ConfirmTexts.en), ("boxState", BoxStateTexts.fr, BoxStateTexts.en),
    ] }
}

/// Small HTML helpers for the checks (the pages are ours: regular expressions are enough).
enum HTML {
    /// Every start tag with this name, whole (`<input …>`).
    static func tags(_ name: String, in html: String) -> [String] {
        matches("<\(name)\\b[^>]*>", in: html)
    }

    static func attribute(_ name: String, of tag: String) -> String? {
        guard let m = tag.firstMatch(of: try! Regex("\\s\(name)=\"([^\"]*)\"")) else { return nil }
        return m.output[1].substring.map(String.init)
    }

    static func matches(_ pattern: String, in html: String) -> [String] {
        html.matches(of: try! Regex(pattern).dotMatchesNewlines()).map { String(html[$0.range]) }
    }

    /// The POST forms, from `<form` to `</form>`.
    static func postForms(in html: String) -> [String] {
        matches("<form\\b[^>]*method=\"post\"[^>]*>.*?</form>", in: html)
    }
}
