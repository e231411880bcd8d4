import Foundation
import Testing
@testable import DegradeMedia

/// Loading only a region of each frame gives exactly the crop of the whole frames, for every source kind.
@Suite struct RegionLoading {
    let region = PixelRegion(x: 5, y: 3, width: 17, height: 11)

    @Test func panRendersJustTheRegionBitForBit() throws {
        let dir = ScratchDir()
        try ImageFile.writePNG(FrameFileReading.texture(96, 64), to: "\(dir.path)/tex.png")
        let pan = try PanSource(stills: StillsSource(folder: dir.path), frames: 3, width: 32, height: 24)
        let whole = try pan.frames(of: "tex@pan")
        let part = try pan.frames(of: "tex@pan", range: nil, region: region)
        #expect(part.count == 3 && part.allSatisfy { $0.width == 17 && $0.height == 11 })
        #expect(part == whole.map { $0.cropped(to: region) })
        #expect(part[0] != part[2])
        #expect(throws: MediaError.self) { try pan.frames(of: "tex@pan", range: nil, region: PixelRegion(x: 20, y: 0, width: 17, height: 11)) }
    }

    @Test func redsCropsEveryFrame() throws {
        let dir = ScratchDir()
        try FileManager.default.createDirectory(atPath: "\(dir.path)/000", withIntermediateDirectories: true)
        for i in 0..<2 {
            try ImageFile.writePNG(FrameFileReading.texture(30 + i, 20), to: "\(dir.path)/000/0000000\(i).png")
        }
        let src = try REDSSource(root: dir.path)
        let part = try src.frames(of: "000", range: 0..<1, region: region)
        #expect(part == [try src.frames(of: "000", range: 0..<1)[0].cropped(to: region)])
        // Frame sizes are still checked on the whole frames.
        #expect(throws: MediaError.self) { try src.frames(of: "000", range: nil, region: region) }
    }

    /// A PNG region is decoded row by row up to its last row: the same pixels as the crop of the whole frame, at the
    /// frame's edges too, for colour and gray files.
    @Test func pngRegionsStopAtTheirLastRow() throws {
        let dir = ScratchDir()
        let colour = FrameFileReading.texture(37, 29)
        var gray = Image(width: 37, height: 29, channels: 1)
        for i in 0..<gray.pixels.count { gray.pixels[i] = colour.pixels[i] }
        for (name, image) in [("colour.png", colour), ("gray.png", gray)] {
            let path = "\(dir.path)/\(name)"
            try ImageFile.writePNG(image, to: path)
            let whole = try ImageFile.read(path).image
            for r in [PixelRegion(x: 0, y: 0, width: 37, height: 29), PixelRegion(x: 0, y: 0, width: 1, height: 1),
                      PixelRegion(x: 36, y: 28, width: 1, height: 1), PixelRegion(x: 3, y: 7, width: 20, height: 9)] {
                let part = try ImageFile.read(path, limits: .default, region: r)
                #expect(part.isRegion && part.frameWidth == 37 && part.frameHeight == 29)
                #expect(part.image == whole.cropped(to: r), "\(name) \(r)")
            }
        }
        // A file cut short fails where the region needs the missing rows.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir.path)/colour.png"))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: "\(dir.path)/cut.png"))
        #expect(throws: MediaError.self) { try ImageFile.read("\(dir.path)/cut.png", limits: .default, region: PixelRegion(x: 0, y: 20, width: 5, height: 9)) }
    }

    @Test func resamplerRegionMatchesTheWholeGrid() {
        let image = FrameFileReading.texture(40, 30)
        let window = Resampler.Window(x: 2.3, y: 1.1, width: 31.5, height: 20.25)
        let whole = Resampler.resample(image, window: window, width: 23, height: 17)
        for r in [PixelRegion(x: 0, y: 0, width: 23, height: 17), PixelRegion(x: 22, y: 16, width: 1, height: 1),
                  PixelRegion(x: 4, y: 9, width: 12, height: 5)] {
            #expect(Resampler.resample(image, window: window, width: 23, height: 17, region: r) == whole.cropped(to: r))
        }
    }
}
