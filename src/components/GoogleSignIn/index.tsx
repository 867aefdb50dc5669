'use client'

import React from 'react'

import type { GoogleSignInButtonProps } from './types.js'

/**
 * "Sign in with Google" under the admin login form (`admin.components.afterLogin`). A plain link: the
 * flow is a top-level navigation to the start endpoint, which redirects to Google. Renders nothing when
 * Google sign-in is not configured, so the component can stay in the import map either way.
 */
export const GoogleSignInButton = ({ href }: GoogleSignInButtonProps) => {
  if (!href) return null
  return (
    <div className="crm-google-sign-in" data-testid="google-sign-in-root" style={{ marginTop: 24 }}>
      <a className="btn btn--style-secondary btn--size-large" data-testid="google-sign-in" href={href} style={{ display: 'block', textAlign: 'center' }}>
        Sign in with Google
      </a>
    </div>
  )
}
