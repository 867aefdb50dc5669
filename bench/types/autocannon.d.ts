// autocannon 9 ships no type declarations; bench/rest.bench.ts types the slice it uses.
declare module 'autocannon'
