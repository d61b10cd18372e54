//! Tests of the photo pipeline on pictures made here, with EXIF segments
//! written byte by byte.

#![allow(clippy::unwrap_used)]

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, Rgb, RgbImage};

use super::prepare::{MAX_SIDE, TARGET_BYTES, prepare};

/// A 200×100 picture: red on the left half, blue on the right.
fn halves() -> RgbImage {
    RgbImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    })
}

fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

/// An APP1 EXIF segment (big-endian TIFF) with an orientation tag and a
/// GPS directory holding a latitude reference.
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: two entries, then the next-IFD offset.
    tiff.extend(2u16.to_be_bytes());
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    tiff.extend(38u32.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    // GPS IFD at 38: GPSLatitudeRef = "N".
    tiff.extend(1u16.to_be_bytes());
    tiff.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend(0u32.to_be_bytes());

    let mut body = b"Exif\0\0".to_vec();
    body.extend(tiff);
    let mut segment = vec![0xff, 0xe1];
    segment.extend(((body.len() + 2) as u16).to_be_bytes());
    segment.extend(body);
    segment
}

/// `jpeg` with `segment` inserted right after its start-of-image marker.
fn with_segment(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

fn has_exif(jpeg: &[u8]) -> bool {
    jpeg.windows(6).any(|w| w == b"Exif\0\0") || app1_present(jpeg)
}

/// Walks the JPEG's marker segments up to the start of scan.
fn app1_present(jpeg: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xff {
        let marker = jpeg[i + 1];
        if marker == 0xe1 {
            return true;
        }
        if marker == 0xda {
            break;
        }
        i += 2 + u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]) as usize;
    }
    false
}

fn is_red(p: &Rgb<u8>) -> bool {
    p.0[0] > 150 && p.0[2] < 100
}

fn is_blue(p: &Rgb<u8>) -> bool {
    p.0[2] > 150 && p.0[0] < 100
}

#[test]
fn exif_orientation_is_applied_and_every_tag_dropped() {
    let input = with_segment(&jpeg(&halves(), 95), &exif_segment(6));
    assert!(has_exif(&input));
    let out = prepare(&input).unwrap();

    // Orientation 6 turns the picture 90° clockwise: the red left half
    // becomes the top.
    assert_eq!((out.width, out.height), (100, 200));
    let img = image::load_from_memory_with_format(&out.jpeg, ImageFormat::Jpeg)
        .unwrap()
        .to_rgb8();
    assert_eq!(img.dimensions(), (100, 200));
    assert!(is_red(img.get_pixel(50, 40)), "{:?}", img.get_pixel(50, 40));
    assert!(
        is_blue(img.get_pixel(50, 160)),
        "{:?}",
        img.get_pixel(50, 160)
    );
    assert!(!has_exif(&out.jpeg));
    assert!(!out.jpeg.windows(3).any(|w| w == b"MM\0"));
}

#[test]
fn without_orientation_the_picture_stays_as_it_is() {
    let out = prepare(&jpeg(&halves(), 95)).unwrap();
    assert_eq!((out.width, out.height), (200, 100));
}

#[test]
fn png_is_accepted() {
    let mut png = Vec::new();
    halves()
        .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    let out = prepare(&png).unwrap();
    assert_eq!(&out.jpeg[..2], &[0xff, 0xd8]);
}

/// A 4000×3000 picture with smooth shapes and some grain, like a photo.
fn large_photo() -> RgbImage {
    let mut seed = 12345u32;
    RgbImage::from_fn(4000, 3000, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let grain = (seed >> 24) as u8 / 6;
        let r = ((x / 7) % 256) as u8;
        let g = ((y / 5) % 256) as u8;
        let b = (((x + y) / 11) % 256) as u8;
        Rgb([
            r.saturating_add(grain),
            g.saturating_add(grain),
            b.saturating_add(grain),
        ])
    })
}

#[test]
fn large_photos_are_bounded_and_sized_near_the_target() {
    let out = prepare(&jpeg(&large_photo(), 92)).unwrap();
    assert_eq!(out.width.max(out.height), MAX_SIDE);
    assert_eq!((out.width, out.height), (1600, 1200));
    assert!(out.jpeg.len() <= TARGET_BYTES, "{} bytes", out.jpeg.len());
    assert!(
        out.jpeg.len() >= TARGET_BYTES / 2,
        "{} bytes",
        out.jpeg.len()
    );
}

#[test]
fn name_is_the_sha256_of_the_output() {
    use sha2::{Digest, Sha256};
    let out = prepare(&jpeg(&halves(), 90)).unwrap();
    assert_eq!(out.sha256, hex::encode(Sha256::digest(&out.jpeg)));
    assert_eq!(out.sha256.len(), 64);
}

#[test]
fn garbage_is_refused_with_a_reason() {
    let err = prepare(b"not a picture").unwrap_err();
    assert!(err.to_string().contains("照片无法读取"), "{err}");
}
