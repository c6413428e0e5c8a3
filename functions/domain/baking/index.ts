/**
 * Baking and unbaking Open Badges 3.0 credentials into PNG and SVG images, sniffing which is which, and generated
 * badge images. Import as `#domain/baking/index`.
 */

export {
  type BadgeImageInput,
  type BadgePngInput,
  badgePng,
  badgeSvg,
  DEFAULT_BADGE_COLOR,
  issuerInitials,
  wrapBadgeName,
} from './badge-image';
export { bakePng, hasPngSignature, type PngChunk, readPngChunks, textChunkKeyword, unbakePng } from './png';
export { decodeSvgBytes, detectImageKind, unbakeImage } from './sniff';
export { bakeSvg, unbakeSvg } from './svg';
export {
  BakeError,
  type ImageKind,
  OB2_PNG_KEYWORD,
  OB2_SVG_NAMESPACE,
  OB3_PNG_KEYWORD,
  OB3_SVG_NAMESPACE,
  type SvgBakePayload,
  type UnbakeResult,
} from './types';
