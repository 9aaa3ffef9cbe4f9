/**
 * Names for synthetic students: first names and surnames common among
 * migratory families in the United States (mostly Mexican and Central
 * American Spanish names, with English, Haitian, Hmong, Marshallese and
 * other names of families the program serves). Each list starts with the
 * most common names. The generator draws with Zipf-like weights, so common
 * names such as José García repeat, as they do in real data. The lists were
 * written for this product and not taken from a census file.
 */

const split = (names: string): readonly string[] =>
  names
    .trim()
    .split(/\s+/)
    .map((name) => name.replace(/_/g, ' '));

export const femaleFirstNames = split(`
  María Guadalupe Ana Juana Rosa Daniela Sofía Valeria Fernanda Ximena Camila Andrea Alejandra Gabriela Karla
  Yesenia Brenda Mariana Adriana Leticia Jazmín Paola Itzel Lizbeth Araceli Carmen Verónica Cecilia Esmeralda
  Isabel Natalia Lucía Victoria Elizabeth Jennifer Jessica Ashley Emily Abigail Samantha Stephanie Katherine
  Yolanda Dolores Rosario Consuelo Concepción Mercedes Graciela Margarita Beatriz Cristina Patricia Socorro
  Josefina Silvia Lorena Maribel Marisol Nayeli Yaritza Dulce Evelyn Allison Kimberly Melanie Nicole Genesis
  Wendy Marleny Yadira Xochitl Zulema Hilda Reyna Belén Ivonne Jacqueline Estefanía Berenice Anahí Citlali
  Rubí Sandra Teresa Gloria Lilia Nancy Angélica Diana Martha Irma Leslie Mía Chloe Kaylee Naomi Rebecca Victoria_Isabel
  Mylene Fabiola Nadège Pa_Nhia Mai Kalani Sione_Lani
`);

export const maleFirstNames = split(`
  José Juan Luis Carlos Jesús Miguel Francisco Antonio Alejandro Jorge Pedro Manuel Ricardo Roberto Fernando
  Eduardo Javier Daniel David Diego Sergio Mario Raúl Rafael Gerardo Arturo Alberto Enrique Ignacio Guillermo
  Rodrigo Gregorio Salvador Gonzalo Ramón Federico Santiago Armando Sebastián Alfredo Adolfo Rodolfo Humberto
  Ángel Víctor Óscar Héctor Hugo Iván Julio César Rubén Omar Emilio Andrés Marco Martín Pablo Joaquín Cristian
  Kevin Brian Jonathan Christopher Anthony Michael William Robert James John Joseph Thomas Matthew Andrew
  Benjamin Nicholas Samuel Edward Bryan Alexander Jayden Ethan Elijah Josué Israel Abraham Moisés Esteban Gilberto
  Ezequiel Leonel Nelson Wilmer Elmer Byron Édgar Efraín Baltazar Crisanto Anastasio Alonso Jean-Pierre Wesner Pao Teb
  Kaleo Tevita
`);

export const surnames = split(`
  García Hernández Martínez López González Rodríguez Pérez Sánchez Ramírez Cruz Flores Gómez Morales Vázquez
  Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno Castillo Romero Álvarez Méndez Chávez
  Rivera Juárez Ramos Domínguez Herrera Medina Castro Vargas Guzmán Velázquez Muñoz Rojas Contreras Salazar
  Luna Ortega Santiago Guerrero Estrada Bautista Cortés Soto Alvarado Espinoza Lara Ávila Ríos Cervantes
  Silva Delgado Vega Márquez Sandoval Fernández León Carrillo Mejía Solís Núñez Rosas Valdez Ibarra Campos
  Cabrera Navarro Maldonado Rosales Acosta Peña Miranda Trejo Valencia Nava Pacheco Robles Molina Rangel
  Fuentes Huerta Meza Aguirre Cárdenas Orozco Padilla Espinosa Valenzuela Ayala Salas Cuevas Tapia Villalobos
  Zamora Cisneros Benítez Lozano Galván Ochoa Escobar Villanueva Zúñiga Barrera Quintero Macías Olvera Beltrán
  Arellano Bravo Cano Duarte Enríquez Franco Galindo Hidalgo Islas Jaramillo Lucero Montes Nieves Osorio Palacios
  Quiroz Ruelas Serrano Téllez Urbina Villegas Yáñez Zavala Velasco Gallegos Sosa Ponce Quezada Becerra Bernal
  Calderón Correa Esquivel Gallardo Marín Montoya Paredes Saucedo Treviño Valle Vera Arroyo Barajas Corona
  Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee
  Thompson White Harris Clark Lewis Walker Young Allen King Wright Scott Nguyen Vang Xiong Lor Yang Thao
  Pierre Jean-Baptiste Louis Charles Kabua Lanwi Tonga Fifita De_la_Cruz Del_Río De_León San_Juan
  De_los_Santos Villa Villarreal Yllescas Hurtado Olivares Baca Bustamante Zepeda Vallejo Gil Xalate
`);

/** Birth places outside the United States: city and country code (ISO 3166 alpha-2). */
export const foreignBirthPlaces: readonly (readonly [string, string])[] = [
  ['Guadalajara', 'MX'],
  ['Morelia', 'MX'],
  ['Oaxaca', 'MX'],
  ['Zacatecas', 'MX'],
  ['León', 'MX'],
  ['Irapuato', 'MX'],
  ['Culiacán', 'MX'],
  ['Puebla', 'MX'],
  ['Acapulco', 'MX'],
  ['Tijuana', 'MX'],
  ['Guatemala', 'GT'],
  ['Huehuetenango', 'GT'],
  ['Quetzaltenango', 'GT'],
  ['San Pedro Sula', 'HN'],
  ['Tegucigalpa', 'HN'],
  ['San Salvador', 'SV'],
  ['Port-au-Prince', 'HT'],
  ['Majuro', 'MH'],
];

/** Birth places in the United States: city and USPS state code. */
export const usBirthPlaces: readonly (readonly [string, string])[] = [
  ['Salinas', 'CA'],
  ['Fresno', 'CA'],
  ['Bakersfield', 'CA'],
  ['Watsonville', 'CA'],
  ['McAllen', 'TX'],
  ['Brownsville', 'TX'],
  ['Laredo', 'TX'],
  ['El Paso', 'TX'],
  ['Immokalee', 'FL'],
  ['Homestead', 'FL'],
  ['Yakima', 'WA'],
  ['Wenatchee', 'WA'],
  ['Yuma', 'AZ'],
  ['Woodburn', 'OR'],
  ['Greeley', 'CO'],
  ['Dalton', 'GA'],
  ['Dodge City', 'KS'],
  ['Hazleton', 'PA'],
  ['Springdale', 'AR'],
  ['Traverse City', 'MI'],
];

export const courseTitles: readonly (readonly [string, string])[] = [
  ['English I', 'English Language Arts'],
  ['English II', 'English Language Arts'],
  ['Algebra I', 'Mathematics'],
  ['Geometry', 'Mathematics'],
  ['Algebra II', 'Mathematics'],
  ['Biology', 'Science'],
  ['Chemistry', 'Science'],
  ['World History', 'Social Studies'],
  ['U.S. History', 'Social Studies'],
  ['Spanish for Native Speakers', 'World Languages'],
  ['Physical Education', 'Physical Education'],
  ['Computer Applications', 'Career and Technical Education'],
];

/**
 * A few towns in each state, for the cities of a child's qualifying moves, so
 * that a move to Texas names a town in Texas. Many are farming towns, where
 * migratory families often work.
 */
export const stateTowns: Readonly<Record<string, readonly string[]>> = {
  AL: ['Albertville', 'Cullman'],
  AK: ['Kodiak', 'Dillingham', 'Sitka'],
  AZ: ['Yuma', 'Somerton', 'Casa Grande'],
  AR: ['Springdale', 'Rogers'],
  CA: ['Salinas', 'Fresno', 'Bakersfield', 'Oxnard', 'Watsonville'],
  CO: ['Greeley', 'Grand Junction', 'Alamosa'],
  CT: ['Windsor', 'Hartford'],
  DE: ['Georgetown', 'Dover'],
  DC: ['Washington'],
  FL: ['Immokalee', 'Homestead', 'Plant City', 'Belle Glade'],
  GA: ['Dalton', 'Gainesville', 'Tifton'],
  HI: ['Hilo', 'Kahului'],
  ID: ['Caldwell', 'Twin Falls', 'Burley'],
  IL: ['Rochelle', 'Kankakee'],
  IN: ['Plymouth', 'Logansport'],
  IA: ['Marshalltown', 'Storm Lake', 'Denison'],
  KS: ['Garden City', 'Dodge City', 'Liberal'],
  KY: ['Bowling Green', 'Shelbyville'],
  LA: ['Houma', 'New Iberia'],
  ME: ['Presque Isle', 'Milbridge'],
  MD: ['Salisbury', 'Hagerstown'],
  MA: ['Springfield', 'Hadley'],
  MI: ['Holland', 'Benton Harbor', 'Traverse City'],
  MN: ['Willmar', 'Worthington', 'Moorhead'],
  MS: ['Forest', 'Tupelo'],
  MO: ['Sedalia', 'Milan'],
  MT: ['Billings', 'Sidney'],
  NE: ['Lexington', 'Schuyler', 'Grand Island'],
  NV: ['Fallon', 'Winnemucca'],
  NH: ['Manchester', 'Nashua'],
  NJ: ['Bridgeton', 'Vineland'],
  NM: ['Las Cruces', 'Deming', 'Hatch'],
  NY: ['Albion', 'Sodus', 'Goshen'],
  NC: ['Clinton', 'Mount Olive', 'Hendersonville'],
  ND: ['Grafton', 'Grand Forks'],
  OH: ['Fremont', 'Wooster'],
  OK: ['Guymon', 'Altus'],
  OR: ['Hood River', 'Hermiston', 'Woodburn'],
  PA: ['Kennett Square', 'Gettysburg'],
  PR: ['Mayagüez', 'Ponce'],
  RI: ['Providence'],
  SC: ['Saluda', 'Johns Island'],
  SD: ['Huron', 'Sioux Falls'],
  TN: ['Shelbyville', 'Morristown'],
  TX: ['Weslaco', 'Pharr', 'Eagle Pass', 'Hereford'],
  UT: ['Logan', 'Hyrum'],
  VT: ['Middlebury', 'St. Albans'],
  VA: ['Exmore', 'Winchester'],
  WA: ['Yakima', 'Wenatchee', 'Pasco', 'Mount Vernon'],
  WV: ['Martinsburg'],
  WI: ['Mendota', 'Hancock'],
  WY: ['Worland', 'Powell'],
};
