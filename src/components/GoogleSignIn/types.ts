export type GoogleSignInButtonProps = {
  /** Start of the Google sign-in (`<api>/<users>/oauth/google`), or null when Google sign-in is not configured (renders nothing). */
  href?: null | string
}
