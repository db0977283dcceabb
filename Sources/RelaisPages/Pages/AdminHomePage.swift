import RelaisCore

/// `/admin`: staff (table, add one, CSV import) and classes (table, add one).
public struct AdminHomePage: PageModel {
    /// What the add-staff form had, shown again with its problems.
    public struct StaffDraft: Sendable {
        public var lastName: String
        public var firstName: String
        public var role: Layout.Role
        public var email: String

        public init(lastName: String = "", firstName: String = "", role: Layout.Role = .enseignant, email: String = "") {
            self.lastName = lastName
            self.firstName = firstName
            self.role = role
            self.email = email
        }
    }

    /// What the add-class form had, shown again with its problems.
    public struct ClassDraft: Sendable {
        public var name: String
        public var level: String
        public var cycle: BundleManifest.Level?
        public var teacherIDs: [String]

        public init(name: String = "", level: String = "", cycle: BundleManifest.Level? = nil, teacherIDs: [String] = []) {
            self.name = name
            self.level = level
            self.cycle = cycle
            self.teacherIDs = teacherIDs
        }
    }

    public static let templateName = "adminHome"
    public var layout: Layout
    public var staff: [StaffMember]
    public var classes: [ClassSummary]
    /// The teachers the add-class form offers.
    public var teachers: [TeacherChoice]
    public var notice: AdminNotice?
    public var staffDraft: StaffDraft
    public var staffProblems: [FieldProblem]
    public var staffImportProblems: [FieldProblem]
    public var classDraft: ClassDraft
    public var classProblems: [FieldProblem]
    /// The « État de la box » section (nil: not shown).
    public var boxState: BoxStateSummary?

    public init(
        layout: Layout, staff: [StaffMember], classes: [ClassSummary], teachers: [TeacherChoice], notice: AdminNotice? = nil,
        staffDraft: StaffDraft = StaffDraft(), staffProblems: [FieldProblem] = [], staffImportProblems: [FieldProblem] = [],
        classDraft: ClassDraft = ClassDraft(), classProblems: [FieldProblem] = [], boxState: BoxStateSummary? = nil
    ) {
        self.layout = layout
        self.staff = staff
        self.classes = classes
        self.teachers = teachers
        self.notice = notice
        self.staffDraft = staffDraft
        self.staffProblems = staffProblems
        self.staffImportProblems = staffImportProblems
        self.classDraft = classDraft
        self.classProblems = classProblems
        self.boxState = boxState
    }

    struct StaffRow {
        let name: String
        let login: String
        let roleName: String
        let stateName: String
        let active: Bool
        let resetAction: String
        let disableAction: String
    }

    struct ClassRow {
        let name: String
        let level: String
        let cycle: String
        let teachers: String
        let pupilCount: Int
        let url: String
    }

    struct TeacherBox {
        let inputID: String
        let value: String
        let name: String
        let checked: Bool
    }

    struct Problems {
        let items: [String]
        let any: Bool
        init(_ problems: [FieldProblem], _ l: Language) {
            items = problems.map { $0.text(l) }
            any = !problems.isEmpty
        }
    }

    struct View {
        let seancesURL: String
        let notice: String?
        let staff: [StaffRow]
        let hasStaff: Bool
        let classes: [ClassRow]
        let hasClasses: Bool
        let staffAction: String
        let staffImportAction: String
        let classAction: String
        let draft: StaffDraft
        let roles: [Choice]
        let staffProblems: Problems
        let staffImportProblems: Problems
        let classDraft: ClassDraft
        let cycles: [Choice]
        let noCycle: Bool
        let teachers: [TeacherBox]
        let hasTeachers: Bool
        let classProblems: Problems
        let state: BoxStateSummary.View?
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = AdminTexts.pick(l)
        let staffRows = staff.map { member in
            StaffRow(
                name: "\(member.lastName) \(member.firstName)", login: member.login, roleName: member.role.name(l),
                stateName: member.active ? t.active : t.disabled, active: member.active,
                resetAction: URLs.localized(PortalPaths.staffResetCode(member.id), l),
                disableAction: URLs.localized(PortalPaths.staffDisable(member.id), l))
        }
        let classRows = classes.map { c in
            ClassRow(
                name: c.name, level: c.level, cycle: c.cycle.map { CardTexts.levelName($0, l) } ?? "—",
                teachers: c.teachers.isEmpty ? "—" : c.teachers.joined(separator: ", "), pupilCount: c.pupilCount,
                url: URLs.localized(PortalPaths.adminClass(c.id), l))
        }
        let boxes = teachers.enumerated().map { index, teacher in
            TeacherBox(inputID: "classe-enseignant-\(index + 1)", value: teacher.id, name: teacher.name, checked: classDraft.teacherIDs.contains(teacher.id))
        }
        let view = View(
            seancesURL: URLs.localized(PortalPaths.teacher, l), notice: notice?.text(l), staff: staffRows, hasStaff: !staffRows.isEmpty, classes: classRows, hasClasses: !classRows.isEmpty,
            staffAction: URLs.localized(PortalPaths.staff, l), staffImportAction: URLs.localized(PortalPaths.staffImport, l),
            classAction: URLs.localized(PortalPaths.classes, l), draft: staffDraft,
            roles: Layout.Role.allCases.map { Choice(value: $0.rawValue, name: $0.name(l), selected: $0 == staffDraft.role) },
            staffProblems: Problems(staffProblems, l), staffImportProblems: Problems(staffImportProblems, l), classDraft: classDraft,
            cycles: cycleChoices(classDraft.cycle, l), noCycle: classDraft.cycle == nil, teachers: boxes, hasTeachers: !boxes.isEmpty,
            classProblems: Problems(classProblems, l), state: boxState?.view(l))
        return PageView(title: t.title, texts: t, data: view)
    }
}
