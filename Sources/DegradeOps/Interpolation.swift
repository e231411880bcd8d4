/// Resampling filter of a resize, named after the OpenCV flag it reproduces (`cv2.INTER_*`, float32 path).
public enum Interpolation: String, Codable, Sendable, CaseIterable {
    /// `INTER_NEAREST`: `sx = floor(dx·scale)`, clamped to the last pixel (OpenCV's legacy nearest, not pixel-centred).
    case nearest
    /// `INTER_LINEAR`: 2-tap triangle filter at half-pixel centres, edge replicated, no antialiasing.
    case bilinear
    /// `INTER_CUBIC`: 4-tap Keys cubic (a = −0.75) at half-pixel centres, edge replicated, no antialiasing.
    case bicubic
    /// `INTER_AREA`: exact area averaging when shrinking both axes; a linear-like fallback otherwise.
    case area
}
