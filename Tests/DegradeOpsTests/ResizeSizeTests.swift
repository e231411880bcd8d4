import DegradeMedia
import Testing
@testable import DegradeOps

/// Output-size rule of the reference `RandomResize` and the size limits of `Resize.apply`.
@Suite struct ResizeSizeTests {
    @Test func scaledSizeTruncates() {
        #expect(Resize.scaledSize(width: 256, height: 256, scale: 0.37, evenSize: false) == (94, 94))  // 94.72
        #expect(Resize.scaledSize(width: 1280, height: 720, scale: 0.25, evenSize: false) == (320, 180))
        #expect(Resize.scaledSize(width: 255, height: 101, scale: 1.5, evenSize: false) == (382, 151))  // 382.5, 151.5
    }

    @Test func scaledSizeEvenRoundsDownToEven() {
        #expect(Resize.scaledSize(width: 256, height: 256, scale: 0.37, evenSize: true) == (94, 94))
        #expect(Resize.scaledSize(width: 255, height: 101, scale: 1.5, evenSize: true) == (382, 150))
        #expect(Resize.scaledSize(width: 256, height: 200, scale: 0.15, evenSize: true) == (38, 30))  // 38.4, 30
        #expect(Resize.scaledSize(width: 7, height: 5, scale: 1, evenSize: true) == (6, 4))
    }

    @Test func scaledSizeNeverReachesZero() {
        // The reference computes 0 here and cv2.resize then fails; we keep the smallest valid size.
        #expect(Resize.scaledSize(width: 3, height: 1, scale: 0.2, evenSize: false) == (1, 1))
        #expect(Resize.scaledSize(width: 3, height: 9, scale: 0.2, evenSize: true) == (2, 2))
        #expect(Resize.scaledSize(width: 8, height: 8, scale: 0, evenSize: false) == (1, 1))
        #expect(Resize.scaledSize(width: 8, height: 8, scale: -.infinity, evenSize: true) == (2, 2))
        #expect(Resize.scaledSize(width: 8, height: 8, scale: .nan, evenSize: false) == (1, 1))
    }

    @Test func rejectsNonPositiveAndAbsurdTargets() {
        let img = Image(width: 4, height: 4, channels: 1)
        for (w, h) in [(0, 4), (4, 0), (-3, 4), (Resize.maxDimension + 1, 1), (10_000, 10_000)] {
            #expect(throws: OpError.self, "\(w)×\(h)") {
                try Resize.apply(img, width: w, height: h, interpolation: .bilinear)
            }
        }
        #expect(throws: OpError.self) {
            try Resize.apply(img, inverseScaleX: 0, inverseScaleY: 1, interpolation: .area)
        }
    }

    @Test func outputHasRequestedShape() throws {
        let img = Image(width: 6, height: 4, channels: 2)
        for mode in Interpolation.allCases {
            let out = try Resize.apply(img, width: 9, height: 3, interpolation: mode)
            #expect(out.width == 9 && out.height == 3 && out.channels == 2 && out.pixels.count == 54)
        }
    }
}
