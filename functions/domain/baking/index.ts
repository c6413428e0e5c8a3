/**
 * Baking and unbaking Open Badges 3.0 credentials into PNG and SVG images, sniffing which is which, and generated
 * badge images. Import as `#domain/baking/index`.
 */
export {
  BakeError,
  OB2_PNG_KEYWORD,
  OB2_SVG_NAMESPACE,
  OB3_PNG_KEYWORD,
  OB3_SVG_NAMESPACE,
  type ImageKind,
  type SvgBakePayload,
  type UnbakeResult,
} from './types';
export { bakePng, unbakePng, readPngChunks, textChunkKeyword, hasPngSignature, type PngChunk } from './png';
export { bakeSvg, unbakeSvg } from './svg';
export { detectImageKind, decodeSvgBytes, unbakeImage } from './sniff';
export {
  badgePng,
  badgeSvg,
  issuerInitials,
  wrapBadgeName,
  DEFAULT_BADGE_COLOR,
  type BadgeImageInput,
  type BadgePngInput,
} from './badge-image';
