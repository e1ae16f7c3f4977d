/** The taxonomy's category codes, in the order of src/analyze/types.ts (CATEGORY_CODES). */
export const CATEGORIES = ['DH.ANIMAL', 'DH.DISEASE', 'DH.DEMON', 'DH.OBJECT', 'DH.DISGUST', 'VI.ERAD', 'VI.THREAT', 'VI.GLOR', 'VI.JUST', 'TH.MIRROR', 'TH.PURITY', 'NE.SLUR', 'NE.ESSENCE', 'NE.COLLECT', 'HE.DESTROY', 'HE.DENY', 'HE.DESECR', 'DE.ATROC', 'DE.EXIST', 'CODE', 'PO.RESPECT'];
