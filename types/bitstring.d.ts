declare module '@digitalbazaar/bitstring' {
  export class Bitstring {
    constructor(options: { buffer?: Uint8Array; length?: number });
    static decodeBits(options: { encoded: string }): Promise<Uint8Array>;
    get(index: number): boolean;
    set(index: number, value: boolean): void;
    encodeBits(): Promise<string>;
  }
}
