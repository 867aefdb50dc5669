/** Word lists for demo data: common Indian given names and surnames, cities weighted by size, retail tags. */

export const FIRST_NAMES = [
  'Aarav', 'Vivaan', 'Aditya', 'Vihaan', 'Arjun', 'Sai', 'Reyansh', 'Krishna', 'Ishaan', 'Rohan', 'Karan', 'Rahul', 'Amit',
  'Vikram', 'Suresh', 'Rajesh', 'Manoj', 'Sanjay', 'Anil', 'Deepak', 'Nikhil', 'Siddharth', 'Harsh', 'Kunal', 'Pranav',
  'Abhishek', 'Gaurav', 'Varun', 'Yash', 'Farhan', 'Imran', 'Harpreet', 'Gurpreet', 'Joseph', 'Thomas', 'Venkat', 'Srinivas',
  'Ananya', 'Diya', 'Aadhya', 'Saanvi', 'Pari', 'Isha', 'Kavya', 'Priya', 'Neha', 'Pooja', 'Sneha', 'Anjali', 'Divya',
  'Meera', 'Lakshmi', 'Sunita', 'Kavita', 'Rekha', 'Shreya', 'Riya', 'Nisha', 'Aishwarya', 'Tanvi', 'Asha', 'Deepika',
  'Swati', 'Shalini', 'Fatima', 'Ayesha', 'Simran', 'Mary', 'Lavanya', 'Padma', 'Bhavna', 'Radhika', 'Sakshi', 'Nandini',
] as const

export const LAST_NAMES = [
  'Sharma', 'Verma', 'Gupta', 'Singh', 'Kumar', 'Patel', 'Shah', 'Mehta', 'Joshi', 'Desai', 'Reddy', 'Rao', 'Naidu', 'Iyer',
  'Iyengar', 'Nair', 'Menon', 'Pillai', 'Das', 'Bose', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Ghosh', 'Sen', 'Kapoor',
  'Malhotra', 'Khanna', 'Chopra', 'Agarwal', 'Jain', 'Bansal', 'Mishra', 'Pandey', 'Tiwari', 'Yadav', 'Chauhan', 'Rathore',
  'Kulkarni', 'Deshpande', 'Patil', 'Pawar', 'Gowda', 'Shetty', 'Hegde', 'Khan', 'Sheikh', 'Qureshi', 'Dsouza', 'Fernandes',
  'Gill', 'Sandhu', 'Dhillon', 'Thakur', 'Saxena', 'Srivastava', 'Chaudhary', 'Bhatt', 'Trivedi', 'Kaur',
] as const

/** Cities with rough weights (bigger metros have more customers). */
export const CITIES = [
  ['Mumbai', 14],
  ['Delhi', 14],
  ['Bengaluru', 12],
  ['Hyderabad', 8],
  ['Chennai', 8],
  ['Pune', 7],
  ['Kolkata', 7],
  ['Ahmedabad', 6],
  ['Jaipur', 4],
  ['Lucknow', 3],
  ['Surat', 3],
  ['Kochi', 2],
  ['Chandigarh', 2],
  ['Indore', 2],
  ['Nagpur', 2],
  ['Coimbatore', 2],
  ['Bhopal', 1],
  ['Visakhapatnam', 1],
  ['Mysuru', 1],
  ['Guwahati', 1],
] as const

export const EMAIL_DOMAINS = [
  ['gmail.com', 60],
  ['yahoo.co.in', 12],
  ['outlook.com', 10],
  ['rediffmail.com', 6],
  ['hotmail.com', 6],
  ['icloud.com', 6],
] as const

/** Tags and the share of customers carrying each. */
export const TAGS = [
  ['new', 0.12],
  ['vip', 0.05],
  ['churned', 0.08],
  ['wholesale', 0.03],
  ['loyalty-member', 0.2],
  ['festive-shopper', 0.15],
  ['online', 0.35],
  ['in-store', 0.3],
  ['discount-seeker', 0.1],
] as const

export const PREFERRED_CHANNELS = ['sms', 'whatsapp', 'email'] as const

/** Order statuses with weights: most orders are delivered, a few cancelled or refunded. */
export const ORDER_STATUS_WEIGHTS = [
  ['delivered', 72],
  ['shipped', 7],
  ['paid', 5],
  ['placed', 5],
  ['cancelled', 7],
  ['refunded', 4],
] as const
