/** The name tables the data set draws from. */

export const FIRST_NAMES = [
  'Alex',
  'Maria',
  'James',
  'Priya',
  'Chen',
  'Fatima',
  'Lucas',
  'Olga',
  'Kwame',
  'Sofia',
  'Daniel',
  'Aiko',
  'Mateo',
  'Grace',
  'Omar',
  'Hannah',
  'Ivan',
  'Lena',
  'Noah',
  'Zara',
] as const;
export const LAST_NAMES = [
  'Morgan',
  'Garcia',
  'Smith',
  'Patel',
  'Wang',
  'Khan',
  'Silva',
  'Ivanova',
  'Mensah',
  'Rossi',
  'Miller',
  'Tanaka',
  'Lopez',
  'Kim',
  'Haddad',
  'Schmidt',
  'Petrov',
  'Novak',
  'Brown',
  'Ali',
] as const;
export const AREAS = [
  ['650', 'Palo Alto, CA'],
  ['415', 'San Francisco, CA'],
  ['212', 'New York, NY'],
  ['312', 'Chicago, IL'],
  ['512', 'Austin, TX'],
  ['206', 'Seattle, WA'],
  ['617', 'Boston, MA'],
  ['303', 'Denver, CO'],
  ['404', 'Atlanta, GA'],
  ['305', 'Miami, FL'],
] as const;
export const CALLER_NAMES = ['WIRELESS CALLER', 'ACME CORP', 'BLUE SKY LLC', 'NORTHWIND', 'CONTOSO LTD'] as const;
export const INTERNATIONAL = [
  ['+44', 'London, UK'],
  ['+49', 'Berlin, Germany'],
  ['+33', 'Paris, France'],
] as const;

export const NON_USER_TYPES = [
  ['Department', 'Sales Queue'],
  ['IvrMenu', 'Main IVR'],
  ['Announcement', 'Holiday Message'],
  ['Voicemail', 'General Voicemail'],
  ['SharedLinesGroup', 'Front Desk Lines'],
  ['ParkLocation', 'Park Location 1'],
  ['Limited', 'Lobby Phone'],
  ['PagingOnly', 'Warehouse Paging'],
  ['Department', 'Support Queue'],
  ['FaxUser', 'Fax Line'],
] as const;

export const REASON_DESCRIPTIONS: Record<string, string> = {
  Accepted: 'The call was connected to and accepted by this number',
  Connected: 'The call was answered, but there was no response on how to handle the call',
  'Line Busy': 'The phone number you dialed was busy',
  'Not Answered': 'The phone number you dialed was not answered',
  'No Answer': 'You did not answer the call',
  'Hang Up': 'The caller hung up before the call was answered',
  'Wrong Number': 'The number you dialed has either been disconnected or is not a valid phone number',
  'Fax Not Received': 'An error occurred when receiving the fax',
  'Fax Send Error': 'An error occurred when sending the fax',
};
