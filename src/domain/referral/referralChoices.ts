/**
 * The choices Darlington's Notifiable (Serious) Incident Referral Form offers (004 Appendix 1,
 * section 5 "Case details"), in its own words and order: the main cause of the incident (one) and the
 * characteristics of the case ("tick all that apply"). Each has "Other, please state", kept beside it.
 */
export const MAIN_CAUSES = {
  accidental_death: 'Accidental death',
  accidental_injury: 'Accidental injury',
  drug_solvent_misuse: 'Drug/solvent misuse',
  natural_causes: 'Natural causes',
  neglect: 'Neglect',
  non_accidental_death: 'Non-accidental death',
  non_accidental_injury: 'Non-accidental injury',
  road_traffic_accident: 'Road traffic accident',
  self_harm: 'Self harm',
  sudden_infant_death_syndrome: 'Sudden infant death syndrome',
  suicide: 'Suicide',
  not_yet_known: 'Not yet known',
  other: 'Other',
} as const;
export type MainCause = keyof typeof MAIN_CAUSES;

export const CASE_CHARACTERISTICS = {
  alcohol_abuse: 'Alcohol abuse',
  drug_abuse: 'Drug abuse',
  emotional_abuse: 'Emotional abuse',
  physical_abuse: 'Physical abuse',
  sexual_abuse: 'Sexual abuse',
  domestic_violence: 'Domestic violence',
  shaken_baby_syndrome: 'Shaken baby syndrome',
  recent_neglect: 'Recent neglect',
  long_standing_neglect: 'Long standing neglect',
  fabricated_illness: 'Fabricated illness',
  more_than_one_child_abused: 'More than one child abused',
  parental_mental_health: 'Parental mental health',
  parent_in_care: 'Parent is in care',
  parent_care_leaver: 'Parent is care leaver',
  child_of_teenage_pregnancy: 'Child of teenage pregnancy',
  serious_illness: 'Serious illness',
  not_yet_known: 'Not yet known',
  other: 'Other',
} as const;
export type CaseCharacteristic = keyof typeof CASE_CHARACTERISTICS;

/** "Is a coroner involved? Yes / No / Unsure" (004 Appendix 1, section 2). */
export const CORONER_ANSWERS = { yes: 'Yes', no: 'No', unsure: 'Unsure' } as const;
export type CoronerAnswer = keyof typeof CORONER_ANSWERS;

export const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
