import type { ImportMap } from 'payload'

// Types for the generated import map (importMap.js is rewritten by `payload generate:importmap`).
export declare const importMap: ImportMap
