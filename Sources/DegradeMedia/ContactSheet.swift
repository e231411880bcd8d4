/// A grid of thumbnails on a neutral grey background: rows are clips (or pipeline stages), columns are frames.
public enum ContactSheet {
    /// Lays out `rows` of images, each scaled (antialiased) to `cellHeight` px tall keeping its aspect ratio,
    /// or to `cellWidth`×`cellHeight` when both are given. `gap` px of grey separate cells.
    public static func make(rows: [[Image]], cellHeight: Int = 128, cellWidth: Int? = nil, gap: Int = 4,
                            background: Float = 0.18) -> Image {
        let cells: [[Image]] = rows.map { row in
            row.map { image in
                let w = cellWidth ?? max(1, Int((Double(image.width) * Double(cellHeight) / Double(image.height)).rounded()))
                if image.width == w && image.height == cellHeight { return image.channels == 3 ? image : rgb(image) }
                return Resampler.resize(image.channels == 3 ? image : rgb(image), width: w, height: cellHeight)
            }
        }
        let width = max(1, cells.map { row in row.reduce(gap) { $0 + $1.width + gap } }.max() ?? 1)
        let height = max(1, gap + cells.count * (cellHeight + gap))
        var sheet = Image(width: width, height: height, channels: 3,
                          pixels: [Float](repeating: background, count: width * height * 3))
        for (r, row) in cells.enumerated() {
            var x = gap
            let y = gap + r * (cellHeight + gap)
            for cell in row {
                paste(cell, into: &sheet, x: x, y: y)
                x += cell.width + gap
            }
        }
        return sheet
    }

    /// Copies `image` into `sheet` with its top-left corner at (x, y), clipped to the sheet.
    static func paste(_ image: Image, into sheet: inout Image, x: Int, y: Int) {
        let plane = sheet.planeSize, srcPlane = image.planeSize
        for c in 0..<3 {
            let sc = min(c, image.channels - 1)
            for row in 0..<image.height where y + row < sheet.height {
                for col in 0..<image.width where x + col < sheet.width {
                    sheet.pixels[c * plane + (y + row) * sheet.width + x + col] = image.pixels[sc * srcPlane + row * image.width + col]
                }
            }
        }
    }

    static func rgb(_ gray: Image) -> Image {
        Image(width: gray.width, height: gray.height, channels: 3,
              pixels: Array((0..<3).map { _ in gray.pixels[0..<gray.planeSize] }.joined()))
    }
}
