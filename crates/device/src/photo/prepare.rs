//! Turning a camera photo into what travels: upright, at most
//! [`MAX_SIDE`] pixels on its long side, a JPEG of about
//! [`TARGET_BYTES`], with no metadata at all.
//!
//! The output is encoded afresh from pixels, so nothing of the original
//! file survives but the picture: no EXIF, no GPS position, no camera
//! serial number. The EXIF orientation is applied to the pixels first,
//! since the tag that carried it is dropped.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use sha2::{Digest, Sha256};

/// The long side of a stored photo, in pixels: enough to read a
/// signboard or a receipt on a county office screen.
pub const MAX_SIDE: u32 = 1600;

/// The size aimed at, in bytes: thirty photos a day then cost about 6 MB
/// of a field phone's upload.
pub const TARGET_BYTES: usize = 200 * 1024;

/// The first JPEG quality tried: visually clean for photographs.
const FIRST_QUALITY: u8 = 85;

/// The lowest quality used, whatever the size: below it text in the
/// picture blurs.
const LOWEST_QUALITY: u8 = 35;

/// Bisection steps between the two qualities when the first is too large.
const QUALITY_STEPS: u32 = 4;

/// A prepared photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// SHA-256 of `jpeg`, lower-case hex: the photo's name everywhere.
    pub sha256: String,
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why a photo could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("照片无法读取：不是 JPEG 或 PNG 图片，或文件已损坏")]
    Decode(#[source] image::ImageError),
    #[error("照片压缩失败")]
    Encode(#[source] image::ImageError),
    #[error("照片文件读写出错")]
    Io(#[from] std::io::Error),
}

/// Prepares the photo in `bytes` (JPEG or PNG).
pub fn prepare(bytes: &[u8]) -> Result<Prepared, PhotoError> {
    let picture = upright(bytes)?;
    let picture = bounded(picture);
    let rgb = picture.to_rgb8();
    let jpeg = encode_near_target(&rgb)?;

    Ok(Prepared {
        sha256: hex::encode(Sha256::digest(&jpeg)),
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// Decodes and turns the picture the way its EXIF orientation says.
fn upright(bytes: &[u8]) -> Result<DynamicImage, PhotoError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(PhotoError::Io)?;
    let mut decoder = reader.into_decoder().map_err(PhotoError::Decode)?;
    // A picture whose EXIF cannot be read is shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(PhotoError::Decode)?;
    picture.apply_orientation(orientation);

    Ok(picture)
}

/// Scales down to [`MAX_SIDE`] on the long side, keeping proportions.
fn bounded(picture: DynamicImage) -> DynamicImage {
    if picture.width().max(picture.height()) <= MAX_SIDE {
        return picture;
    }

    picture.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle)
}

/// The best quality whose output fits [`TARGET_BYTES`], found by a few
/// bisection steps; the lowest quality's output when none fits.
fn encode_near_target(rgb: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let first = encode(rgb, FIRST_QUALITY)?;
    if first.len() <= TARGET_BYTES {
        return Ok(first);
    }
    let (mut low, mut high) = (LOWEST_QUALITY, FIRST_QUALITY);
    let mut best = encode(rgb, LOWEST_QUALITY)?;
    for _ in 0..QUALITY_STEPS {
        let mid = low + (high - low) / 2;
        if mid == low {
            break;
        }
        let out = encode(rgb, mid)?;
        if out.len() <= TARGET_BYTES {
            (low, best) = (mid, out);
        } else {
            high = mid;
        }
    }

    Ok(best)
}

fn encode(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(TARGET_BYTES);
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(rgb)
        .map_err(PhotoError::Encode)?;

    Ok(out)
}
