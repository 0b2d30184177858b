import jsQR from 'jsqr'

/**
 * Reads a QR code from a photo. A photo from <input capture> works in every
 * browser, secure context or not, and in the desktop window where
 * getUserMedia is denied; large photos are scaled down first (jsQR is
 * quadratic in nothing but slow on 12-megapixel images).
 */
export async function decodeQRPhoto(f: Blob): Promise<string | null> {
  const bmp = await createImageBitmap(f)
  const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height))
  const c = document.createElement('canvas')
  c.width = Math.round(bmp.width * scale)
  c.height = Math.round(bmp.height * scale)
  const g = c.getContext('2d')
  if (!g) return null
  g.drawImage(bmp, 0, 0, c.width, c.height)
  const data = g.getImageData(0, 0, c.width, c.height)
  return jsQR(data.data, c.width, c.height)?.data ?? null
}
