/// The version of Relais itself, reported by `/healthz` and `relais --version`.
public enum RelaisVersion {
    public static let current = "0.1.0"
}
