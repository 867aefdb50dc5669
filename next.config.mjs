import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', 'agenda', 'agendash', '@agendajs/postgres-backend', '@agendajs/mongo-backend', 'pg-copy-streams'],
  typescript: { ignoreBuildErrors: true },
  // Our sources use Node ESM specifiers (`./x.js` for `./x.ts`); teach webpack the mapping.
  webpack: (webpackConfig) => {
    webpackConfig.resolve.extensionAlias = {
      '.cjs': ['.cts', '.cjs'],
      '.js': ['.ts', '.tsx', '.js', '.jsx'],
      '.mjs': ['.mts', '.mjs'],
    }
    return webpackConfig
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
