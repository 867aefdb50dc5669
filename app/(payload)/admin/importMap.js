import { CrmNavLinks as CrmNavLinks_440e2abc61aa82161c91b1a612f823ac } from '../../../src/components/NavLinks'
import { CrmDashboard as CrmDashboard_e1aaac9d73a3992d50b4a18beefc4f4e } from '../../../src/components/Dashboard'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "/src/components/NavLinks#CrmNavLinks": CrmNavLinks_440e2abc61aa82161c91b1a612f823ac,
  "/src/components/Dashboard#CrmDashboard": CrmDashboard_e1aaac9d73a3992d50b4a18beefc4f4e,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
