/**
 * Removes what looks like personal data from free text before it leaves the server (vendor error
 * reasons can quote a recipient): email addresses and runs of 7+ digits (phone numbers).
 */
export const redactPii = (text: string): string =>
  text.replace(/[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[a-z]{2,}/gi, '[email]').replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]')
