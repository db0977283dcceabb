/// Human-readable byte counts in French style (« 1,5 Mo »), for the CLI and the portal.
public enum ByteCount {
    /// Formats with units o, Ko, Mo, Go (powers of 1024), one decimal from Ko up.
    public static func format(_ bytes: Int64) -> String {
        let units = ["o", "Ko", "Mo", "Go", "To"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) o" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10),\(tenths % 10) \(units[unit])"
    }
}
